package units_test

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/scenarios/units"
)

func ExampleParseSize() {
	for _, s := range []string{"15KB", "15KiB", "1.5KB", "536", "15kib"} {
		n, err := units.ParseSize(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(n, units.FormatSize(n))
	}
	// Output:
	// 15000 15KB
	// 15360 15KiB
	// 1500 1.5KB
	// 536 536B
	// "15kib": unknown size unit "kib" (allowed: B, kB or KB, MB, GB, KiB, MiB, GiB; a bare number is bytes); did you mean "KiB"?
}

func ExampleParseRate() {
	for _, s := range []string{"10Mbps", "1.5Mbps", "unlimited", "10Mbs"} {
		r, err := units.ParseRate(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(int64(r), units.FormatRate(r))
	}
	// Output:
	// 10000000 10Mbps
	// 1500000 1.5Mbps
	// 9223372036854775807 unlimited
	// "10Mbs": unknown rate unit "Mbs" (allowed: bps, kbps, Mbps, Gbps)
}

func ExampleParseDuration() {
	for _, s := range []string{"100ms", "1.5s", "100"} {
		d, err := units.ParseDuration(s)
		fmt.Println(d, err)
	}
	// Output:
	// 100ms <nil>
	// 1.5s <nil>
	// 0s "100": missing unit; write e.g. "100ms" or "100s" (allowed: ns, us, ms, s, m, h)
}
