package quic

import (
	"cmp"
	"slices"

	"github.com/keepalive-sim/keepalive/sim"
)

// Recovery is one endpoint's loss detection over the three packet number
// spaces, with its congestion controller: RFC 9002 Appendix A, driven by
// the transport, which sends, feeds it ACK frames and arms one timer at
// Timer's time.
type Recovery struct {
	RTT RTT
	CC  *NewReno
	// MaxAckDelay is the peer's max_ack_delay (RFC 9000 §18.2).
	MaxAckDelay sim.Time
	// Server is whether this is the server, which is never unsure that
	// its peer validated its address (A.8's PeerCompletedAddressValidation).
	Server bool
	// Confirmed is whether the handshake is confirmed (RFC 9001 §4.1.2);
	// HandshakeAcked whether a client has had an ACK of a Handshake
	// packet; HandshakeKeys whether it has Handshake keys. The transport
	// sets them.
	Confirmed, HandshakeAcked, HandshakeKeys bool
	// AtAmplificationLimit is whether a server can send nothing more
	// until the client sends (RFC 9000 §8.1): it arms no timer then.
	AtAmplificationLimit bool
	PTOCount             int
	// NoPersistentCongestion: losses never collapse the window to the
	// minimum (§7.6), as in quic-go v0.65.0, which has no such response.
	NoPersistentCongestion bool
	// FirstPTO, when set, is the probe timeout before any RTT sample in
	// place of §6.2.2's 2·kInitialRtt (a profile's: quic-go's 200 ms).
	FirstPTO    sim.Time
	firstSample sim.Time
	spaces      [3]spaceState
	// ackedSent are the send times of acknowledged packets, kept while
	// an older packet is unacknowledged, for persistent congestion's
	// "none of the packets sent between … are acknowledged" (§7.6.2).
	ackedSent []sim.Time
}

type spaceState struct {
	sent             []Sent // unacknowledged, in the order sent
	largestAcked     uint64
	anyAcked         bool
	lastAckEliciting sim.Time // when the latest ack-eliciting packet in flight was sent
	lossTime         sim.Time
	lossTimer        bool
}

// NewRecovery is an endpoint's recovery before its first packet: the
// initial RTT (RFC 9002 A.4) and a NewReno controller for datagrams of
// maxDatagramSize.
func NewRecovery(server bool, maxDatagramSize int, maxAckDelay sim.Time) *Recovery {
	return &Recovery{RTT: NewRTT(InitialRTT), CC: NewNewReno(maxDatagramSize), MaxAckDelay: maxAckDelay, Server: server}
}

// OnSent records packet p sent in space (A.5).
func (r *Recovery) OnSent(space Space, p Sent) {
	s := &r.spaces[space]
	s.sent = append(s.sent, p)
	if p.InFlight {
		if p.AckEliciting {
			s.lastAckEliciting = p.Time
		}
		r.CC.OnSent(p)
	}
}

// OnAck takes an ACK frame received at now in space, acknowledging
// ranges with ackDelay (its ACK Delay, decoded), and returns the packets
// it newly acknowledged and those it showed lost (A.7). limited says the
// sender is application or flow-control limited (no window growth).
func (r *Recovery) OnAck(space Space, ranges []AckRange, ackDelay, now sim.Time, limited bool) (acked, lost []Sent) {
	if len(ranges) == 0 {
		return nil, nil
	}
	s := &r.spaces[space]
	largest := ranges[0].Largest
	if !s.anyAcked || largest > s.largestAcked {
		s.largestAcked, s.anyAcked = largest, true
	}
	kept := s.sent[:0]
	for _, p := range s.sent {
		if ackedBy(ranges, p.Number) {
			acked = append(acked, p)
		} else {
			kept = append(kept, p)
		}
	}
	s.sent = kept
	if len(acked) == 0 {
		return nil, nil
	}
	if space == Handshake {
		r.HandshakeAcked = true
	}
	// An RTT sample when the largest acknowledged is newly acknowledged
	// and something ack-eliciting is (A.7).
	newest := acked[len(acked)-1]
	if newest.Number == largest && slices.ContainsFunc(acked, func(p Sent) bool { return p.AckEliciting }) {
		if !r.RTT.Sampled {
			r.firstSample = now
		}
		r.RTT.Update(now-newest.Time, ackDelay, r.MaxAckDelay, r.Confirmed)
		r.CC.MaybeExitSlowStart(r.RTT.Adjusted, r.RTT.Min) // quic-go: LatestRTT, the ACK delay taken off
	}
	for _, p := range acked {
		r.ackedSent = append(r.ackedSent, p.Time)
	}
	lost = r.detect(space, now)
	r.CC.Now, r.CC.MinRTT = now, r.RTT.Min
	for _, p := range acked {
		r.CC.OnAcked(p, limited)
	}
	if r.peerValidated() {
		r.PTOCount = 0
	}
	r.prune()
	return acked, lost
}

// ackedBy reports whether ranges acknowledge packet number pn.
func ackedBy(ranges []AckRange, pn uint64) bool {
	for _, g := range ranges {
		if g.Smallest <= pn && pn <= g.Largest {
			return true
		}
	}
	return false
}

// detect declares space's lost packets (A.10) and hands them to the
// controller, persistent congestion included (B.8).
func (r *Recovery) detect(space Space, now sim.Time) []Sent {
	s := &r.spaces[space]
	lost, kept, at, timer := DetectLost(s.sent, s.largestAcked, now, &r.RTT)
	s.sent, s.lossTime, s.lossTimer = kept, at, timer
	if len(lost) > 0 {
		r.CC.OnLost(lost, now, r.RTT.Sampled && !r.NoPersistentCongestion && r.persistent(lost))
	}
	return lost
}

// persistent is §7.6.2 over lost and the acknowledged packets' send
// times.
func (r *Recovery) persistent(lost []Sent) bool {
	var fates []Fate
	for _, p := range lost {
		fates = append(fates, Fate{Time: p.Time, AckEliciting: p.AckEliciting, Lost: true})
	}
	for _, t := range r.ackedSent {
		fates = append(fates, Fate{Time: t, Acked: true})
	}
	slices.SortStableFunc(fates, func(a, b Fate) int { return cmp.Compare(a.Time, b.Time) })
	return PersistentCongestion(fates, r.firstSample, r.RTT.PersistentCongestionDuration(r.MaxAckDelay))
}

// prune forgets acknowledged send times older than every packet still
// unacknowledged: no later loss can span them.
func (r *Recovery) prune() {
	oldest, found := sim.Time(0), false
	for i := range r.spaces {
		if s := r.spaces[i].sent; len(s) > 0 && (!found || s[0].Time < oldest) {
			oldest, found = s[0].Time, true
		}
	}
	if !found {
		r.ackedSent = r.ackedSent[:0]
		return
	}
	r.ackedSent = slices.DeleteFunc(r.ackedSent, func(t sim.Time) bool { return t < oldest })
}

// peerValidated is A.8's PeerCompletedAddressValidation.
func (r *Recovery) peerValidated() bool { return r.Server || r.HandshakeAcked || r.Confirmed }

func (r *Recovery) ackElicitingInFlight(space Space) bool {
	return slices.ContainsFunc(r.spaces[space].sent, func(p Sent) bool { return p.AckEliciting && p.InFlight })
}

// anyAckElicitingInFlight is ackElicitingInFlight in any space.
func (r *Recovery) anyAckElicitingInFlight() bool {
	return r.ackElicitingInFlight(Initial) || r.ackElicitingInFlight(Handshake) || r.ackElicitingInFlight(ApplicationData)
}

// Timer is when the loss detection timer fires, and whether it is set
// (A.8's SetLossDetectionTimer): the earliest time-threshold loss, else
// the PTO of the space whose probe is due first.
func (r *Recovery) Timer(now sim.Time) (at sim.Time, set bool) {
	if t, _, ok := r.lossTime(); ok {
		return t, true
	}
	if r.Server && r.AtAmplificationLimit {
		return 0, false
	}
	inFlight := r.anyAckElicitingInFlight()
	if !inFlight && r.peerValidated() {
		return 0, false
	}
	t, _, ok := r.pto(now, inFlight)
	return t, ok
}

// lossTime is A.8's GetLossTimeAndSpace.
func (r *Recovery) lossTime() (sim.Time, Space, bool) {
	var at sim.Time
	var space Space
	found := false
	for sp := Initial; sp <= ApplicationData; sp++ {
		if s := &r.spaces[sp]; s.lossTimer && (!found || s.lossTime < at) {
			at, space, found = s.lossTime, sp, true
		}
	}
	return at, space, found
}

// pto is A.8's GetPtoTimeAndSpace.
func (r *Recovery) pto(now sim.Time, inFlight bool) (sim.Time, Space, bool) {
	if !inFlight {
		// The client's anti-deadlock probe, from now.
		space := Initial
		if r.HandshakeKeys {
			space = Handshake
		}
		return now + r.period(0, false), space, true
	}
	var at sim.Time
	space, found := Initial, false
	for sp := Initial; sp <= ApplicationData; sp++ {
		if !r.ackElicitingInFlight(sp) {
			continue
		}
		if sp == ApplicationData && !r.Confirmed {
			break // not until the handshake is confirmed (§6.2.1)
		}
		t := r.spaces[sp].lastAckEliciting + r.period(r.MaxAckDelay, sp == ApplicationData)
		if !found || t < at {
			at, space, found = t, sp, true
		}
	}
	return at, space, found
}

// period is the probe timeout with backoff: FirstPTO's before a sample
// if set, else RTT.PTO's.
func (r *Recovery) period(maxAckDelay sim.Time, applicationData bool) sim.Time {
	if r.FirstPTO > 0 && !r.RTT.Sampled {
		return r.FirstPTO << min(r.PTOCount, 30)
	}
	return r.RTT.PTO(maxAckDelay, applicationData, r.PTOCount)
}

// OnTimeout is the loss detection timer firing at now (A.9): packets of
// space lost by the time threshold, or a probe due in space, which the
// transport sends (one or two ack-eliciting packets; §6.2.4), the PTO
// count then doubling the next timeout.
func (r *Recovery) OnTimeout(now sim.Time) (lost []Sent, space Space, probing bool) {
	if _, space, ok := r.lossTime(); ok {
		lost = r.detect(space, now)
		r.prune()
		return lost, space, false
	}
	_, space, _ = r.pto(now, r.anyAckElicitingInFlight())
	r.PTOCount++
	return nil, space, true
}

// Discard drops space's state when its keys are discarded (A.11
// OnPacketNumberSpaceDiscarded): its packets leave bytes in flight,
// its loss state is cleared, and the PTO count starts again.
func (r *Recovery) Discard(space Space) {
	s := &r.spaces[space]
	for _, p := range s.sent {
		if p.InFlight {
			r.CC.InFlight -= p.Bytes
		}
	}
	*s = spaceState{}
	r.PTOCount = 0
	r.prune()
}

// InFlight are space's packets not yet acknowledged or lost.
func (r *Recovery) InFlight(space Space) []Sent { return r.spaces[space].sent }
