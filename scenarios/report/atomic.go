package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Stage writes a temporary file next to path with write and returns its
// name, for the caller to rename over path once everything it writes has
// succeeded (several outputs of one command appear together or not at
// all). On error it removes what it created.
func Stage(path string, write func(io.Writer) error) (string, error) {
	f, err := createTemp(path)
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriter(f)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// WriteAtomic writes path whole or not at all: into a temporary file in
// the same directory, renamed over path only when complete. A crash
// leaves at most a hidden .NAME.123.tmp file, never a half-written path.
func WriteAtomic(path string, write func(io.Writer) error) error {
	tmp, err := Stage(path, write)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// createTemp creates a new hidden file in path's directory. Unlike
// os.CreateTemp (mode 0600) it asks for mode 0666, so the result gets the
// usual permissions after the umask, like a file made by os.Create.
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64()%1e9, 10)+".tmp")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("cannot create a temporary file next to %s", path)
}
