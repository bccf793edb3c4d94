package tui

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// inspection is what the packet inspector shows about one record, as
// Wireshark's packet details do: a title, then a row per layer, each a
// list of fields. It holds only what the trace records, or what follows
// from it by counting (a packet's time in flight, the stream its
// resource's request opened); a field the trace does not record (ports
// and absolute sequence numbers without the run's seed, a SYN's MSS and
// window scale, a WINDOW_UPDATE's increment) is left out, or said to be
// unknown, rather than made up. It is worked out once, when the record
// is selected, so a frame only draws it.
type inspection struct {
	ix    *runIndex
	rec   int // the record inspected, in ix.recs
	pkt   int // its packet, in ix.packets; -1 for a record that is not a packet
	title string
	rows  []inspRow
}

// inspRow is one layer of an inspection.
type inspRow struct {
	layer  string
	fields []string
}

// add appends a row, unless it has no fields.
func (in *inspection) add(layer string, fields ...string) {
	if len(fields) > 0 {
		in.rows = append(in.rows, inspRow{layer, fields})
	}
}

// inspect works out the inspection of record i of ix.
func (ix *runIndex) inspect(i int) *inspection {
	r := ix.rec(i)
	in := &inspection{ix: ix, rec: i, pkt: -1}
	if !isPacket(r) {
		in.title = "event " + r.Kind.String() + " at " + fmtTime(r.At)
		in.add("Record", recordFields(ix, r)...)
		return in
	}
	in.pkt = ix.packetOf(r.Packet)
	if in.pkt < 0 {
		in.title = "packet " + strconv.FormatUint(r.Packet, 10) + " (its sending is not in the trace)"
		in.add("TCP", tcpFields(r, ix.addresses(r))...)
		return in
	}
	p := &ix.packets[in.pkt]
	sent := ix.rec(p.rec)
	in.title = "packet " + strconv.FormatUint(r.Packet, 10) + " · connection " + itoa(r.Conn) + " · " +
		ix.endHost(r, r.Dir) + " → " + ix.endHost(r, otherDir(r.Dir)) + " · sent at " + fmtTime(p.sent)
	in.add("Link", ix.linkFields(p, sent)...)
	in.add("TCP", tcpFields(sent, ix.addresses(sent))...)
	label, starts := ix.message(sent)
	in.add("TLS", ix.tlsFields(sent, label)...)
	in.add(httpLayer(ix.run.Protocol), ix.httpFields(sent, label, starts)...)
	if c := ix.lookup(sent.Conn); c != nil {
		if path := c.resourceAt(sent.Dir, sent.Seq); path != "" && sent.Len > 0 {
			in.add("Resource", ix.resourceWords(path))
		}
	}
	in.add("Fate", ix.fate(in.pkt)...)
	return in
}

// endHost is endName, but the server's side of a connection to one of a
// page's several hosts is that host: "client → cdn.example.com".
func (ix *runIndex) endHost(r *trace.Record, d trace.Dir) string {
	if c := ix.lookup(r.Conn); c != nil && c.host != "" && d == trace.Down {
		return c.host
	}
	return ix.endName(r, d)
}

// connWords names connection id, with its host when the page has several:
// "connection 3 to cdn.example.com".
func (ix *runIndex) connWords(id int) string {
	if c := ix.lookup(id); c != nil && c.host != "" {
		return "connection " + itoa(id) + " to " + c.host
	}
	return "connection " + itoa(id)
}

func otherDir(d trace.Dir) trace.Dir {
	if d == trace.Down {
		return trace.Up
	}
	return trace.Down
}

// packetOf is the position in ix.packets of the packet with id, or -1.
// Ids count up in the order packets are sent, as the packets are kept.
func (ix *runIndex) packetOf(id uint64) int {
	ps := ix.packets
	k := sort.Search(len(ps), func(k int) bool { return ix.recs.At(ps[k].rec).Packet >= id })
	if k < len(ps) && ix.recs.At(ps[k].rec).Packet == id {
		return k
	}
	for k := range ps { // a trace whose ids do not follow the sending order
		if ix.recs.At(ps[k].rec).Packet == id {
			return k
		}
	}
	return -1
}

// recordOf is the index of the record of kind k about packet id at time
// t, or -1.
func (ix *runIndex) recordOf(t time.Duration, k trace.Kind, id uint64) int {
	for i := sort.Search(ix.recs.Len(), func(i int) bool { return ix.recs.Time(i) >= t }); i < ix.recs.Len() && ix.recs.Time(i) == t; i++ {
		if r := ix.rec(i); r.Kind == k && r.Packet == id {
			return i
		}
	}
	return -1
}

// linkFields are the packet's size on the wire and, when its arrival or
// loss on the wire records them, how long it queued, serialized and
// propagated; a drop's reason.
func (ix *runIndex) linkFields(p *packet, sent *trace.Record) []string {
	var fs []string
	if sent.Wire == 0 && sent.Len > 0 {
		fs = append(fs, "no bytes on the wire (ideal mode)")
	} else {
		fs = append(fs, itoa(sent.Wire)+" bytes on the wire")
	}
	end := -1
	switch {
	case p.arrived >= 0:
		end = ix.recordOf(p.arrived, trace.PacketArrived, sent.Packet)
	case p.dropped >= 0:
		end = ix.recordOf(p.dropped, trace.PacketDropped, sent.Packet)
	}
	if end >= 0 {
		e := ix.rec(end)
		if e.Queued > 0 || e.Serialized > 0 {
			fs = append(fs, "queue wait "+fmtTime(e.Queued), "serialization "+fmtTime(e.Serialized))
			if e.Kind == trace.PacketArrived {
				fs = append(fs, "propagation "+fmtTime(e.At-p.sent-e.Queued-e.Serialized))
			}
		}
		if e.Kind == trace.PacketDropped {
			fs = append(fs, "dropped: "+orWord(e.Note, "lost"))
		}
	}
	return fs
}

// tcpFields are the segment's header as the trace records it, its
// sequence numbers relative (each side's SYN is 0); with a its ports and
// the absolute numbers (ISN + relative, modulo 2³², RFC 9293 §3.4)
// beside the relative ones, as Wireshark shows both.
func tcpFields(r *trace.Record, a *segmentAddresses) []string {
	var fs []string
	seq, ack := strconv.FormatInt(r.Seq, 10)+" (relative)", strconv.FormatInt(r.Ack, 10)
	if a != nil {
		abs := func(isn uint32, rel int64) string { return strconv.FormatUint(uint64(isn+uint32(rel)), 10) }
		fs = append(fs, "ports "+itoa(int(a.src))+" → "+itoa(int(a.dst)))
		seq += ", " + abs(a.isn, r.Seq) + " absolute"
		ack += " (relative), " + abs(a.peerISN, r.Ack) + " absolute"
	}
	fs = append(fs, "flags "+orWord(r.Flags.String(), "none"), "seq "+seq)
	if r.Flags&trace.ACK != 0 {
		fs = append(fs, "ack "+ack)
	}
	fs = append(fs, "window "+itoa(r.Wnd), "length "+itoa(r.Len))
	if h := r.Wire - r.Len; h > 0 && r.Wire > 0 {
		// IP and TCP headers with their options, what the wire carries
		// besides the data; tcpOptions names what they hold.
		fs = append(fs, "headers "+itoa(h)+" B")
		fs = append(fs, tcpOptions(r)...)
	}
	if r.Sack != "" {
		fs = append(fs, "SACK "+r.Sack)
	}
	if r.Retx {
		fs = append(fs, "retransmission")
	}
	return fs
}

// segmentAddresses are a segment's ports and its sender's and
// receiver's ISNs.
type segmentAddresses struct {
	src, dst     uint16
	isn, peerISN uint32
}

// addresses are packet r's, when the run's seed is known: the simulation
// numbers connections, and gives each the ports and ISNs
// trace.AddressesOf draws from the seed. The server's port is 443 under
// TLS, else 80; a proxy's connections to the origin are plain HTTP.
func (ix *runIndex) addresses(r *trace.Record) *segmentAddresses {
	if ix.seed == nil || r.Conn <= 0 {
		return nil
	}
	a := trace.AddressesOf(*ix.seed, r.Conn)
	server := uint16(trace.HTTPPort)
	if c := ix.lookup(r.Conn); ix.tls && (c == nil || !c.origin) {
		server = trace.HTTPSPort
	}
	if r.Dir == trace.Down {
		return &segmentAddresses{server, a.ClientPort, a.ServerISN, a.ClientISN}
	}
	return &segmentAddresses{a.ClientPort, server, a.ClientISN, a.ServerISN}
}

// headBytes is the size of the HTTP head that message label begins on
// connection conn, as the model sized it (the Len of its RequestSent or
// FirstByte record; 0 when the trace does not say, or in ideal mode).
func (ix *runIndex) headBytes(conn int, label, path string) int {
	c := ix.lookup(conn)
	if c == nil {
		return 0
	}
	if isRequest(label) {
		for _, i := range c.requests {
			if r := ix.rec(i); r.Label == label {
				return r.Len
			}
		}
		return 0
	}
	if !strings.HasPrefix(label, "200 ") && !strings.HasPrefix(label, "HEADERS ") {
		return 0 // a DATA frame, a 408: no response head of the resource
	}
	for i := range ix.recs.Len() {
		if r := ix.rec(i); r.Kind == trace.FirstByte && r.Conn == conn && r.Label == path {
			return r.Len
		}
	}
	return 0
}

// endsStream says why the HTTP/2 frame label that packet r begins
// carries END_STREAM, or "" when it does not. A request without content
// ends with its HEADERS frame (RFC 9113 §8.1), and the client's half of
// the stream closes (§5.1): the model's requests are GETs, and a GET or
// a HEAD has no body. A response ends with its last DATA frame on the
// connection, or with its HEADERS when no DATA follows (an empty body).
func (ix *runIndex) endsStream(r *trace.Record, label, path string) string {
	c := ix.lookup(r.Conn)
	if c == nil || int(r.Dir) >= len(c.marks) {
		return ""
	}
	if r.Dir == trace.Up {
		for _, m := range []string{"GET ", "HEAD "} {
			if strings.HasPrefix(label, m) {
				return "the request is complete, a " + strings.TrimSpace(m) + " has no body"
			}
		}
		return ""
	}
	data := "DATA " + path
	last := int64(-1)
	for _, m := range c.marks[r.Dir] {
		if m.label == data {
			last = m.seq
		}
	}
	switch {
	case label == data && r.Seq == last,
		strings.HasPrefix(label, "HEADERS ") && last < 0:
		return "the response is complete"
	}
	return ""
}

// tlsFields say which TLS record the segment's bytes belong to: a
// handshake flight, or, on a connection whose TLS handshake had begun,
// application data that encrypts the HTTP below.
func (ix *runIndex) tlsFields(r *trace.Record, label string) []string {
	c := ix.lookup(r.Conn)
	if c == nil || label == "" || c.tlsStart < 0 {
		return nil
	}
	version := ix.tlsVersion(c)
	if tlsLabel(label) {
		return []string{"handshake: " + label, version}
	}
	return []string{"application data: it encrypts the HTTP below", version}
}

// tlsVersion is "TLS 1.3, full handshake" from the TLSStarted record of
// connection c.
func (ix *runIndex) tlsVersion(c *connIndex) string {
	for i := sort.Search(ix.recs.Len(), func(i int) bool { return ix.recs.Time(i) >= c.tlsStart }); i < ix.recs.Len() && ix.recs.Time(i) == c.tlsStart; i++ {
		if r := ix.rec(i); r.Kind == trace.TLSStarted && r.Conn == c.id {
			return "TLS " + r.State.String() + ", " + orWord(r.Note, "full") + " handshake"
		}
	}
	return "TLS"
}

func httpLayer(p trace.Protocol) string {
	switch p {
	case trace.HTTP2:
		return "HTTP/2"
	case trace.HTTP3:
		return "HTTP/3"
	}
	return "HTTP"
}

// httpFields say which HTTP message the segment starts or continues:
// the request line's method and path or the status, for HTTP/2 the frame
// type and the stream its resource's request opened.
func (ix *runIndex) httpFields(r *trace.Record, label string, starts bool) []string {
	if label == "" || tlsLabel(label) {
		return nil
	}
	path := pathOf(label)
	head := strings.TrimSpace(strings.TrimSuffix(label, path))
	var what string
	switch {
	case ix.run.Protocol == trace.HTTP2 && isRequest(label):
		what = "frame HEADERS: request " + label
	case ix.run.Protocol == trace.HTTP2 && strings.HasPrefix(label, "HEADERS "):
		what = "frame HEADERS: status " + strings.TrimPrefix(head, "HEADERS ")
	case ix.run.Protocol == trace.HTTP2 && label == "PREFACE+SETTINGS":
		what = "connection preface, frame SETTINGS"
	case ix.run.Protocol == trace.HTTP2 && (label == trace.WindowUpdateLabel || strings.HasPrefix(label, trace.WindowUpdateLabel+" ")):
		what = "frame " + trace.WindowUpdateLabel
		if starts {
			return append([]string{what}, windowUpdateFields(label)...)
		}
	case ix.run.Protocol == trace.HTTP2:
		what = "frame " + head
	case isRequest(label):
		what = "request " + label
	default:
		what = "status " + head
	}
	if !starts {
		what = "continues: " + what
	}
	fs := []string{what}
	if n := ix.headBytes(r.Conn, label, path); n > 0 && starts {
		fs = append(fs, "headers "+itoa(n)+" B")
	}
	if ix.run.Protocol == trace.HTTP2 && path != "" {
		if s := ix.streamOf(r.Conn, path); s > 0 {
			fs = append(fs, "stream "+itoa(s))
		}
		if why := ix.endsStream(r, label, path); starts && why != "" {
			fs = append(fs, "flags END_STREAM: "+why)
		}
	}
	return fs
}

// windowUpdateFields say what a WINDOW_UPDATE frame grants its receiver
// (RFC 9113 §6.9): its increment to a stream's window or to the
// connection's (stream 0), when its label spells them
// (trace.WindowUpdate); a bare label says neither.
func windowUpdateFields(label string) []string {
	stream, inc, ok := trace.ParseWindowUpdate(label)
	switch {
	case !ok:
		return []string{"increment and stream: not in the trace"}
	case stream == 0:
		return []string{"stream 0: the connection's window", "increment " + itoa(inc) + " B"}
	}
	return []string{"stream " + itoa(stream), "increment " + itoa(inc) + " B"}
}

// streamOf is the HTTP/2 stream that the request for path opened on
// connection conn, from its RequestSent record, or 0.
func (ix *runIndex) streamOf(conn int, path string) int {
	c := ix.lookup(conn)
	if c == nil {
		return 0
	}
	for _, j := range c.requests {
		if r := ix.rec(j); pathOf(r.Label) == path && r.Stream > 0 {
			return r.Stream
		}
	}
	return 0
}

// resourceWords names the resource at path with its number in the page.
func (ix *runIndex) resourceWords(path string) string {
	for _, t := range ix.run.Summary.Resources {
		if t.Path == path {
			return path + " (resource " + itoa(t.Resource) + ", " + itoa(t.Bytes) + " B)"
		}
	}
	return path
}

// fate says what became of packet k: arrived, lost or neither by the end
// of the run, and which packets resent its bytes or which it resends.
func (ix *runIndex) fate(k int) []string {
	p := &ix.packets[k]
	sent := ix.rec(p.rec)
	var fs []string
	switch {
	case p.arrived >= 0:
		fs = append(fs, "arrived at "+fmtTime(p.arrived)+", "+fmtTime(p.arrived-p.sent)+" after it was sent")
		if rst := ix.resetBy(k); rst >= 0 && sent.Len > 0 {
			fs = append(fs, "answered at once with a reset (packet "+strconv.FormatUint(ix.recs.At(ix.packets[rst].rec).Packet, 10)+", RST)")
		}
	case p.dropped >= 0:
		fs = append(fs, "lost at "+fmtTime(p.dropped))
	default:
		fs = append(fs, "neither arrived nor lost by the end of the run")
	}
	if sent.Len == 0 && sent.Flags&(trace.SYN|trace.FIN) == 0 {
		return fs // nothing to resend: it occupies no sequence space
	}
	same := func(q *packet) bool {
		o := ix.rec(q.rec)
		return q.conn == p.conn && q.dir == p.dir && o.Seq == sent.Seq && o.Flags&trace.SYN == sent.Flags&trace.SYN
	}
	if sent.Retx {
		for j := k - 1; j >= 0; j-- {
			if q := &ix.packets[j]; same(q) {
				fs = append(fs, "a retransmission of packet "+strconv.FormatUint(ix.recs.At(q.rec).Packet, 10)+", sent at "+fmtTime(q.sent))
				break
			}
		}
	}
	for j := k + 1; j < len(ix.packets); j++ {
		if q := &ix.packets[j]; same(q) && ix.recs.At(q.rec).Retx {
			fs = append(fs, "retransmitted as packet "+strconv.FormatUint(ix.recs.At(q.rec).Packet, 10)+" at "+fmtTime(q.sent))
			break
		}
	}
	return fs
}

// resetBy is the packet the receiver of packet k answered it with a
// reset: the first of its connection sent the other way at the moment k
// arrived, with RST set; -1 if none. Packets are in the order they were
// sent, so the search stops at the first sent later.
func (ix *runIndex) resetBy(k int) int {
	p := &ix.packets[k]
	for j := k + 1; j < len(ix.packets); j++ {
		q := &ix.packets[j]
		if q.sent > p.arrived {
			break
		}
		if q.sent == p.arrived && q.conn == p.conn && q.dir != p.dir && ix.recs.At(q.rec).Flags&trace.RST != 0 {
			return j
		}
	}
	return -1
}

// recordFields are the recorded fields of a record that is not a packet,
// those its kind gives a value.
func recordFields(ix *runIndex, r *trace.Record) []string {
	var fs []string
	add := func(ok bool, s string) {
		if ok {
			fs = append(fs, s)
		}
	}
	add(r.Conn > 0, ix.connWords(r.Conn))
	add(r.Dir != trace.NoDir && r.Conn > 0, "side "+ix.endHost(r, r.Dir))
	add(r.State != trace.NoState, "state "+r.State.String())
	add(r.Kind == trace.CwndChanged, "cwnd "+byteWord(r.Cwnd))
	add(r.Kind == trace.CwndChanged, "ssthresh "+byteWord(r.Ssthresh))
	add(r.Resource > 0, "resource "+itoa(r.Resource))
	add(r.Stream > 0, "stream "+itoa(r.Stream))
	add(r.Label != "", "label "+r.Label)
	add(r.Len > 0, "length "+itoa(r.Len))
	add(r.Client > 0, "client "+itoa(r.Client))
	add(r.Page > 0, "page "+itoa(r.Page))
	add(r.Note != "", "note "+r.Note)
	if len(fs) == 0 {
		fs = append(fs, "no fields besides its time")
	}
	return fs
}
