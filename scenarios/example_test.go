package scenarios_test

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/scenarios"
)

func ExampleBuiltins() {
	for _, in := range scenarios.Builtins() {
		fmt.Println(in.Name)
	}
	// Output:
	// close-race
	// hol-blocking
	// hol-under-loss
	// idle-reuse
	// lossy
	// proxy-hop
	// real-page
	// server-exhaustion
	// tcp-keepalive
	// textbook
	// time-wait
	// tls
	// tls-cpu
	// webpage
}

func ExampleParse() {
	s, err := scenarios.Parse("slow.yaml", []byte(`
description: The default page on a slow link
link: {rtt: 300ms, bandwidth: 1.5Mbps}
page: {objects: 4, object_size: 15KiB}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	c := s.Config
	fmt.Println(s.Name, c.Link.Delay, c.Link.Down, len(c.Page.Resources), c.Page.Resources[1].Size)

	_, err = scenarios.Parse("slow.yaml", []byte("link:\n  rtt: 300ms\n  loss: 1.5\n"))
	fmt.Println(err)
	// Output:
	// slow 150ms 1500kbps 5 15360
	// slow.yaml:3: link.loss: 1.5 is out of range; allowed: a probability in [0, 1)
}
