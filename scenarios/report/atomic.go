package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Staged is an output written in full, not yet in place: Commit puts it
// there, Abort drops it.
type Staged struct {
	dest   string
	tmp    string // a regular file's temporary sibling
	direct []byte // what to write through to a non-regular file
}

// Stage writes path's content with write, without touching path yet, so
// that several outputs of one command appear together or not at all. A
// regular file (or a new one) is written to a temporary file next to it,
// to be renamed over it; a device, a pipe or what a symlink points to is
// never replaced: its content is kept in memory and written through on
// Commit (as root, renaming over /dev/null would replace the device). On
// error Stage removes what it created.
func Stage(path string, write func(io.Writer) error) (*Staged, error) {
	dest, regular, err := target(path)
	if err != nil {
		return nil, err
	}
	if !regular {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return nil, err
		}
		return &Staged{dest: dest, direct: buf.Bytes()}, nil
	}
	f, err := createTemp(dest)
	if err != nil {
		return nil, err
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
		return nil, err
	}
	return &Staged{dest: dest, tmp: f.Name()}, nil
}

// Commit puts the output in place.
func (s *Staged) Commit() error {
	if s.tmp == "" {
		f, err := os.OpenFile(s.dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
		if err != nil {
			return err
		}
		_, err = f.Write(s.direct)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if err := os.Rename(s.tmp, s.dest); err != nil {
		os.Remove(s.tmp)
		return err
	}
	s.tmp = ""
	return nil
}

// Abort drops an output not committed.
func (s *Staged) Abort() {
	if s.tmp != "" {
		os.Remove(s.tmp)
		s.tmp = ""
	}
}

// target is where path's content goes, and whether it is (or will be) a
// regular file that a rename may replace: a symlink's target, resolved.
func target(path string) (dest string, regular bool, err error) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, true, nil
	case err != nil:
		return "", false, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, false, nil // a dangling link: writing through it creates its target
		}
		if err != nil {
			return "", false, err
		}
		if fi, err = os.Stat(real); err != nil {
			return "", false, err
		}
		path = real
	}
	return path, fi.Mode().IsRegular(), nil
}

// WriteAtomic writes path whole or not at all: a regular file into a
// temporary file in the same directory, renamed over path only when
// complete (a crash leaves at most a hidden .NAME.123.tmp file, never a
// half-written path); a device, pipe or symlink target written through.
func WriteAtomic(path string, write func(io.Writer) error) error {
	s, err := Stage(path, write)
	if err != nil {
		return err
	}
	return s.Commit()
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

// MetaSuffix names an output's provenance sidecar: results.csv's is
// results.csv.meta.json.
const MetaSuffix = ".meta.json"

// Stream is an output too large to hold in memory, written as it is
// made and put in place whole by Commit, like [Stage]: a regular file (or
// a new one) goes to a temporary file next to it, renamed over it on
// Commit and removed by Abort, so that an interrupted command leaves the
// old file or none, never half of one. A device, a pipe or what a symlink
// points to is written through as the output is made: it cannot be
// replaced, and holding the output for it would grow without bound.
type Stream struct {
	dest string
	tmp  string // "" when writing through
	f    *os.File
	w    *bufio.Writer
}

// CreateStream starts writing path's content.
func CreateStream(path string) (*Stream, error) {
	dest, regular, err := target(path)
	if err != nil {
		return nil, err
	}
	s := &Stream{dest: dest}
	if regular {
		s.f, err = createTemp(dest)
		if err == nil {
			s.tmp = s.f.Name()
		}
	} else {
		s.f, err = os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	}
	if err != nil {
		return nil, err
	}
	s.w = bufio.NewWriterSize(s.f, 64<<10)
	return s, nil
}

// Write adds p to the output.
func (s *Stream) Write(p []byte) (int, error) { return s.w.Write(p) }

// Commit puts the output in place; on error it is dropped.
func (s *Stream) Commit() error {
	err := s.w.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if s.tmp == "" {
		return err
	}
	if err == nil {
		err = os.Rename(s.tmp, s.dest)
	}
	if err != nil {
		os.Remove(s.tmp)
	}
	s.tmp = ""
	return err
}

// Abort drops an output not committed: its temporary file is removed
// (what was written through to a device or pipe stays written). After
// Commit it does nothing.
func (s *Stream) Abort() {
	if s.f == nil {
		return
	}
	s.f.Close()
	if s.tmp != "" {
		os.Remove(s.tmp)
		s.tmp = ""
	}
	s.f = nil
}
