package model_test

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// A validation section is one table of docs/validation.md after the
// response times: each row a formula, its value, what the simulator gave
// and the difference. A row whose simulated value differs from its
// formula's fails TestTextbookResponseTimes.
type validationSection struct {
	title, intro string
	rows         []validationRow
}

type validationRow struct {
	name, formula, formulaValue, simulated, diff, source string
}

func timeRow(name, formula, source string, want, got sim.Time) validationRow {
	return validationRow{name, formula, trace.Millis(want) + " ms", trace.Millis(got) + " ms", (got - want).String(), source}
}

func validationSections(t *testing.T) []validationSection {
	return []validationSection{longRTTSection(t), interleavingSection(t), rfc5681Section(t), hostsSection(t)}
}

// hostsSection: DNS lookups and pages on two hosts (dns_test.go,
// origin_test.go).
func hostsSection(t *testing.T) validationSection {
	sec := validationSection{
		title: "DNS lookups and pages on two hosts",
		intro: "Ideal mode, transmission negligible (an unlimited link, one-byte objects), `dns.enabled` with `dns.rtt` the lookup's time. " +
			"The first rows are Kurose & Ross's problems P2.7 and P2.8 with RTT0 = 100 ms and RTT_DNS = RTT_1 + RTT_2 + RTT_3 = 49 ms: " +
			"one lookup, as the objects are on the same host. The others put the M = 4 objects on a second host, an extra " +
			"`origins[].delay` d = 20 ms away each way (RTT_B = RTT0 + 2·d = 140 ms), looked up (DNS = 30 ms) when the base document names it. " +
			"`TestDNSTextbook` and `TestOriginsTextbook` check the same cases.",
	}
	for _, c := range append(dnsCases(), originCases()...) {
		res, err := model.Run(c.cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		sec.rows = append(sec.rows, timeRow(c.name, c.formula, c.source, c.want, res.PageLoad))
	}
	return sec
}

// longRTTSection: the slow-start latency model at round trips at and
// beyond RFC 6298's 1 s initial RTO (TestIdealAtAnyRTT checks more).
func longRTTSection(t *testing.T) validationSection {
	sec := validationSection{
		title: "Round trips at and beyond the initial RTO",
		intro: "One object of O = 100,000 bytes over a fresh connection, S = 536 bytes, R = 1 Mbit/s (S/R = 4.288 ms), ideal mode. " +
			"The textbook's TCP never times out: a SYN-ACK arriving at the very nanosecond the 1 s timer expires is handled first " +
			"(package sim: timeouts fire after the other events of their instant), and ideal mode's estimator starts from the path's " +
			"round trip (`tcp.initial_rto: path`: RTO = 3·RTT, no less than min_rto, RFC 6298 §2.2), arms no data retransmission timer on a path that cannot lose a packet. `TestIdealAtAnyRTT` checks 48 such cases; " +
			"`TestSYNAnsweredAtTheRTO` checks that a realistic TCP whose SYN-ACK arrives at exactly 1 s does not resend the SYN.",
	}
	const O, S = 100_000, 536
	R := model.Mbps
	for _, rtt := range []sim.Time{sim.Second, 2 * sim.Second, 10 * sim.Second, 60 * sim.Second} {
		for _, w := range []int{1, 10, model.Unlimited} {
			cfg := model.IdealTCP()
			cfg.MSS, cfg.InitialWindow = S, w
			got := fetch(t, 1, ideal(rtt, R), cfg, 1, O).done
			name := fmt.Sprintf("RTT %v, W = %d", rtt, w)
			if w == model.Unlimited {
				want := 2*rtt + sim.Time(8*O*int64(sim.Second)/int64(R))
				sec.rows = append(sec.rows, timeRow("RTT "+rtt.String()+", no slow start", "2·RTT + O/R", "Kurose & Ross §2.2.2", want, got))
				continue
			}
			sec.rows = append(sec.rows, timeRow(name, "2·RTT + O/R + Σ_{k=1}^{K−1} [S/R + RTT − W·2^{k−1}·S/R]⁺",
				"Kurose & Ross, \"Modeling TCP latency\"", slowStartLatency(O, S, R, rtt, w), got))
		}
	}
	return sec
}

// interleavingSection: Kurose & Ross's HTTP/2 framing example.
func interleavingSection(t *testing.T) validationSection {
	sec := validationSection{
		title: "HTTP/2 frame interleaving",
		intro: "Kurose & Ross (8th ed., §2.2.5): a video clip of 1000 frames and eight objects of two frames each, requested together. " +
			"Ideal mode, one frame per segment (MSS = max frame = 16,384 bytes), R = 131.072 Mbit/s so that a frame takes F = 1 ms; " +
			"times from the first frame leaving the server to the last byte of each arriving, less the one-way delay. HTTP/2's " +
			"server sends one frame of each stream in turn (round robin) and writes a frame only when nothing it wrote is still " +
			"waiting below it (see protocols.md); pipelining must answer in request order (RFC 9112 §9.3.2).",
	}
	for _, tc := range []struct {
		proto        model.Protocol
		small, video int
		how          string
	}{
		{model.HTTP2, 18, 1016, "interleaved: 1 + 8 + 1 + 8 frames"},
		{model.HTTP11Pipelined, 1016, 1000, "in order: 1000 + 16 frames"},
	} {
		cfg := model.DefaultConfig()
		cfg.Link = model.LinkConfig{Delay: 50 * sim.Millisecond, Up: krRate, Down: krRate}
		cfg.Page = krPage()
		cfg.ApplyIdeal()
		cfg.TCP.MSS = krFrame
		cfg.HTTP.Protocol, cfg.HTTP.Parallel, cfg.HTTP.MaxFrame = tc.proto, 1, krFrame
		res, _ := mustRun(t, cfg)
		start := res.Resources[0].LastByte + 2*cfg.Link.Delay
		var small sim.Time
		for _, r := range res.Resources[2:] {
			small = max(small, r.LastByte)
		}
		src := "Kurose & Ross §2.2.5"
		sec.rows = append(sec.rows,
			timeRow(tc.proto.String()+": the eight small objects", fmt.Sprintf("%d·F (%s)", tc.small, tc.how), src, sim.Time(tc.small)*krFrameTime, small-start),
			timeRow(tc.proto.String()+": the video", fmt.Sprintf("%d·F", tc.video), src, sim.Time(tc.video)*krFrameTime, res.Resources[1].LastByte-start))
	}
	return sec
}

// rfc5681Section: the arithmetic of fast retransmit and congestion
// avoidance (TestFlightSizeWithoutLimitedTransmit and
// TestCongestionAvoidanceExact check the same).
func rfc5681Section(t *testing.T) validationSection {
	sec := validationSection{
		title: "RFC 5681 arithmetic",
		intro: "The RFC profile (tcp.profile: rfc), SMSS = 1,460 bytes, an ACK per segment. Fast retransmit: a 20-segment flight whose first segment is " +
			"lost; limited transmit (RFC 3042) sends two new segments on the first two duplicate ACKs, which are not part of " +
			"FlightSize. Congestion avoidance: from cwnd = ssthresh = 10 segments, cwnd += SMSS·SMSS/cwnd per ACK on a cwnd that " +
			"keeps its fraction of a byte, against the same recurrence in 256-bit arithmetic; windows in bytes.",
	}
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 2}}
	cfg := model.RFCTCP()
	cfg.InitialWindow, cfg.DelayedAck = 20, false
	mss := cfg.MSS
	series := cwndSeries(fetch(t, 1, link, cfg, 300, 40*mss).log.Records, trace.Down)
	var cut, after trace.Record
	for i, r := range series {
		if r.State == trace.CwndFastRetransmit && cut.Kind == 0 {
			cut = r
		}
		if r.State == trace.CwndRecovered && after.Kind == 0 {
			after = series[i]
		}
	}
	bytes := func(n int) string { return fmt.Sprintf("%d B", n) }
	src := "RFC 5681 §3.2 step 2, RFC 3042 §2"
	sec.rows = append(sec.rows,
		validationRow{"ssthresh at the third duplicate ACK", "max(FlightSize/2, 2·SMSS), FlightSize = 20 segments", bytes(10 * mss), bytes(cut.Ssthresh), bytes(cut.Ssthresh - 10*mss), src},
		validationRow{"cwnd in fast recovery", "ssthresh + 3·SMSS", bytes(13 * mss), bytes(cut.Cwnd), bytes(cut.Cwnd - 13*mss), "RFC 5681 §3.2 step 3"},
		validationRow{"cwnd after the full ACK", "ssthresh", bytes(10 * mss), bytes(after.Cwnd), bytes(after.Cwnd - 10*mss), "RFC 6582 §3.2 step 3"})

	ca := model.RFCTCP()
	ca.InitialWindow, ca.InitialSsthresh, ca.DelayedAck = 10, 10*ca.MSS, false
	grown := cwndSeries(fetch(t, 1, realistic(100*sim.Millisecond, model.Gbps), ca, 300, 3000*ca.MSS).log.Records, trace.Down)
	const prec = 256
	w := new(big.Float).SetPrec(prec).SetInt64(int64(10 * mss))
	sq := new(big.Float).SetPrec(prec).SetInt64(int64(mss * mss))
	for n, r := range grown[1:] {
		w.Add(w, new(big.Float).SetPrec(prec).Quo(sq, w))
		if k := n + 1; k == 1 || k == 2 || k == 3 || k == 1000 || k == 2000 {
			real, _ := w.Int64()
			acks := fmt.Sprintf("%d ACKs", k)
			if k == 1 {
				acks = "1 ACK"
			}
			sec.rows = append(sec.rows, validationRow{fmt.Sprintf("cwnd after %s (real value %s)", acks, w.Text('f', 2)),
				"cwnd += SMSS·SMSS/cwnd", bytes(int(real)), bytes(r.Cwnd), bytes(r.Cwnd - int(real)), "RFC 5681 §3.1, eq. 3"})
		}
		if n+1 == 2000 {
			break
		}
	}
	return sec
}
