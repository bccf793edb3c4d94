package har

import (
	"math"
	"sort"
	"time"
)

// MinBandwidthBytes is the smallest body that counts towards the
// bandwidth estimate: smaller transfers end in slow start, before
// the link is full, and say more about the RTT than the bandwidth.
const MinBandwidthBytes = 64 << 10

// MinPageBytes is the least a page's bodies must total for the page's
// own throughput to count towards the bandwidth estimate: eight large
// transfers' worth, so that the link was busy for many round trips and
// not mostly in slow start, which would make the estimate far too low.
const MinPageBytes = 8 * MinBandwidthBytes

// BandwidthQuantile is the quantile of the large transfers' throughputs
// taken as the link's bandwidth: a transfer that shared the link with
// others ran slower than the link, so an upper quantile, not the median.
const BandwidthQuantile = 0.75

// Link is a link estimated from a recording, or given.
type Link struct {
	RTT       time.Duration
	Bandwidth int64 // bits per second; 0 when unknown
	// EstimatedRTT and EstimatedBandwidth say which were estimated
	// from the recording (the output says so); RTTSamples and
	// BandwidthSamples how many entries the estimates rest on (0: none
	// could be made, and the value is 0).
	EstimatedRTT, EstimatedBandwidth bool
	RTTSamples, BandwidthSamples     int
	// BandwidthFrom says which estimate won: "transfers" (the quantile of
	// large transfers) or "page" (the page's throughput while receiving);
	// "" when the bandwidth was given or none could be made.
	BandwidthFrom string
}

// EstimateLink is the link of rtt and bandwidth (bits/s), each
// estimated from p when 0:
//
//   - RTT: the median, over entries that opened a connection
//     (connect > 0), of connect less ssl when ssl is inside it (HAR 1.2:
//     connect includes ssl; TCP's handshake is one round trip). The
//     median of an even count is the mean of the middle two. Rounded to
//     three significant digits, as the bandwidth is.
//   - bandwidth: the larger of two lower bounds of the link's rate. One
//     is the BandwidthQuantile (nearest rank) of body bits / receive
//     time over the transfers of at least MinBandwidthBytes with a
//     receive time above 0: a single transfer, alone on the link. The
//     other is the page's: every body's bits over the time during which
//     at least one body was arriving (the union of the receive phases),
//     which is what a busy page shows, its transfers sharing the link so
//     that each alone runs far below it (the real-page lesson, exported
//     and imported, gave 1.4 Mbit/s by transfers on its 10 Mbit/s link).
//     It counts only when the bodies total MinPageBytes or more. The
//     estimate is rounded to three significant digits. Entries
//     from the browser's cache carry no bytes over the link and are left
//     out.
func EstimateLink(p *RecordedPage, rtt time.Duration, bandwidth int64) Link {
	l := Link{RTT: rtt, Bandwidth: bandwidth}
	if rtt <= 0 {
		var cs []time.Duration
		for _, e := range p.Entries {
			if c := handshakeOf(e); c > 0 {
				cs = append(cs, c)
			}
		}
		l.RTT, l.EstimatedRTT, l.RTTSamples = time.Duration(significant(int64(median(cs)), 3)), true, len(cs)
	}
	if bandwidth <= 0 {
		var rates []float64
		for _, e := range p.Entries {
			if e.Size >= MinBandwidthBytes && e.Phases.Receive > 0 {
				rates = append(rates, float64(e.Size)*8/e.Phases.Receive.Seconds())
			}
		}
		l.EstimatedBandwidth, l.BandwidthSamples = true, len(rates)
		if len(rates) > 0 {
			sort.Float64s(rates)
			k := int(math.Ceil(BandwidthQuantile*float64(len(rates)))) - 1
			l.Bandwidth, l.BandwidthFrom = int64(math.Round(rates[max(k, 0)])), "transfers"
		}
		if busy, n := pageThroughput(p); n > 0 && busy > l.Bandwidth {
			l.Bandwidth, l.BandwidthFrom, l.BandwidthSamples = busy, "page", n
		}
		l.Bandwidth = significant(l.Bandwidth, 3)
	}
	return l
}

// significant rounds n to digits significant digits: an estimate is no
// more precise than that, and "8440kbps" reads better than "8441608bps",
// "110ms" than "110.4106ms".
func significant(n int64, digits int) int64 {
	if n <= 0 {
		return n
	}
	scale := math.Pow(10, math.Floor(math.Log10(float64(n)))+1-float64(digits))
	return int64(math.Round(float64(n)/scale) * scale)
}

// pageThroughput is the bits of p's bodies over the time during which at
// least one was arriving, in bits/s, and how many entries it rests on.
func pageThroughput(p *RecordedPage) (int64, int) {
	type span struct{ from, to time.Duration }
	var spans []span
	var bits float64
	for _, e := range p.Entries {
		if e.FromCache != "" || e.Size <= 0 || e.Phases.Receive <= 0 {
			continue
		}
		end := e.End()
		spans = append(spans, span{end - e.Phases.Receive, end})
		bits += float64(e.Size) * 8
	}
	if len(spans) == 0 || bits < MinPageBytes*8 {
		return 0, 0
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	var busy time.Duration
	cur := spans[0]
	for _, s := range spans[1:] {
		if s.from > cur.to {
			busy += cur.to - cur.from
			cur = s
			continue
		}
		cur.to = max(cur.to, s.to)
	}
	busy += cur.to - cur.from
	return int64(math.Round(bits / busy.Seconds())), len(spans)
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}

// handshakeOf is e's TCP handshake, one round trip: connect less ssl
// when ssl is inside it (HAR 1.2); 0 when e opened no connection.
func handshakeOf(e RecordedEntry) time.Duration {
	c := e.Phases.Connect
	if c <= 0 {
		return 0
	}
	if s := e.Phases.SSL; s > 0 && s < c {
		c -= s
	}
	return c
}
