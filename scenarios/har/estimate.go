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
}

// EstimateLink is the link of rtt and bandwidth (bits/s), each
// estimated from p when 0:
//
//   - RTT: the median, over entries that opened a connection
//     (connect > 0), of connect less ssl when ssl is inside it (HAR 1.2:
//     connect includes ssl; TCP's handshake is one round trip). The
//     median of an even count is the mean of the middle two.
//   - bandwidth: the BandwidthQuantile (nearest rank) of body bits /
//     receive time over the transfers of at least MinBandwidthBytes with
//     a receive time above 0.
func EstimateLink(p *RecordedPage, rtt time.Duration, bandwidth int64) Link {
	l := Link{RTT: rtt, Bandwidth: bandwidth}
	if rtt <= 0 {
		var cs []time.Duration
		for _, e := range p.Entries {
			c := e.Phases.Connect
			if c <= 0 {
				continue
			}
			if s := e.Phases.SSL; s > 0 && s < c {
				c -= s
			}
			cs = append(cs, c)
		}
		l.RTT, l.EstimatedRTT, l.RTTSamples = median(cs), true, len(cs)
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
			l.Bandwidth = int64(math.Round(rates[max(k, 0)]))
		}
	}
	return l
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
