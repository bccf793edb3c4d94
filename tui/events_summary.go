package tui

import (
	"strconv"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// itoa is strconv.Itoa, short for the many numbers the list writes.
func itoa(n int) string { return strconv.Itoa(n) }

// summary is what the list says record i is, in a few words taken from
// its fields: "sent ClientHello · 517 B", "cwnd 2920 B (initial)". The
// explanation line says what it means; this line only says what it is,
// as Wireshark's Info column does.
func (ix *runIndex) summary(i int) string {
	r := ix.rec(i)
	switch r.Kind {
	case trace.PacketSent:
		return "sent " + packetWords(r)
	case trace.PacketArrived:
		return "arrived " + packetWords(r)
	case trace.PacketDropped:
		return "dropped " + packetWords(r) + " (" + orWord(r.Note, "lost") + ")"
	case trace.CwndChanged:
		s := "cwnd " + byteWord(r.Cwnd)
		if r.Ssthresh >= 0 {
			s += ", ssthresh " + byteWord(r.Ssthresh)
		}
		if r.State != trace.NoState {
			s += " (" + r.State.String() + ")"
		}
		return s
	case trace.StateChanged:
		return ix.endName(r, r.Dir) + " " + r.State.String()
	case trace.Retransmit:
		return "retransmit from seq " + strconv.FormatInt(r.Seq, 10) + noteWords(r.Note)
	case trace.ConnFailed:
		return "connection failed" + noteWords(r.Note)
	case trace.ResourceQueued:
		return "queued " + orWord(r.Label, "a resource") + " (" + itoa(r.Len) + " B)"
	case trace.TLSStarted:
		return "TLS " + r.State.String() + " handshake starts" + noteWords(r.Note)
	case trace.TLSDone:
		return "TLS handshake done"
	case trace.RequestSent:
		return "request " + r.Label + streamWords(r.Stream)
	case trace.FirstByte:
		return "first byte of " + r.Label + streamWords(r.Stream)
	case trace.LastByte:
		return "last byte of " + r.Label + " (" + itoa(r.Len) + " B)" + streamWords(r.Stream)
	case trace.PageStarted:
		return clientPrefix(r.Client) + pageWord(r.Page) + " starts"
	case trace.PageLoaded:
		return clientPrefix(r.Client) + pageWord(r.Page) + " loaded"
	case trace.PageFailed:
		return clientPrefix(r.Client) + pageWord(r.Page) + " failed" + noteWords(r.Note)
	case trace.PageUnfinished:
		return clientPrefix(r.Client) + pageWord(r.Page) + " unfinished" + noteWords(r.Note)
	case trace.RequestRetried:
		return "retry " + r.Label + noteWords(r.Note)
	case trace.RequestFailed:
		return "request failed " + r.Label + noteWords(r.Note)
	case trace.ResponseCached:
		return r.Label + " from the cache"
	case trace.IdleTimeout:
		return ix.endName(r, r.Dir) + " idle timeout"
	case trace.Backlogged:
		return "waits in the accept backlog"
	case trace.Accepted:
		return "a server slot takes it"
	case trace.Refused:
		return "SYN refused: backlog full"
	case trace.SlotReleased:
		return "server slot freed"
	case trace.ServerBusy:
		return "server busy" + noteWords(r.Note)
	case trace.ServerIdle:
		return "server idle" + noteWords(r.Note)
	case trace.OriginConn:
		return "proxy opens it to the origin"
	case trace.DNSStarted:
		return "DNS lookup of " + r.Label
	case trace.DNSDone:
		return "DNS answer for " + r.Label + noteWords(r.Note)
	case trace.ConnHost:
		return "opened to " + r.Label
	case trace.RunStopped:
		return "run stopped" + noteWords(r.Note)
	case trace.CPUQueued:
		return "CPU work queued: " + r.Label
	case trace.CPUStarted:
		return "CPU work starts: " + r.Label
	case trace.CPUDone:
		return "CPU work done: " + r.Label
	case trace.ServerMemory:
		return "server memory " + memText(r.Len) + " · " + r.Label
	}
	return r.Kind.String()
}

// packetWords names a packet for the list: what it carries, marked when
// it is a retransmission, with its payload size.
func packetWords(r *trace.Record) string {
	s := r.Describe()
	if r.Retx {
		s = "retx " + s
	}
	if r.Len > 0 {
		s += " · " + itoa(r.Len) + " B"
	}
	return s
}

// byteWord writes a window in bytes, or "unlimited".
func byteWord(b int) string {
	if b < 0 {
		return "unlimited"
	}
	return itoa(b) + " B"
}

func noteWords(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

func streamWords(stream int) string {
	if stream == 0 {
		return ""
	}
	return " · stream " + itoa(stream)
}
