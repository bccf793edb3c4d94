package pcap

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Epoch is the capture's time zero: a packet at virtual time t is
// stamped Epoch + t (the HAR export's epoch too).
var Epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Point is where the capture is taken.
type Point uint8

const (
	// AtClient captures what the client sends, when it sends it, and
	// what it receives, when it arrives.
	AtClient Point = iota
	// AtServer does the same at the server.
	AtServer
	// Unseen is a connection on no interface the capture is taken on
	// (a proxy's other hop): none of its packets is written.
	Unseen
)

// Endpoints are a connection's addresses: the client's and the server's
// IPv4 address and port, and both initial sequence numbers; and At, the
// end whose interface the capture sees it on.
type Endpoints struct {
	Client, Server         net.IP
	ClientPort, ServerPort uint16
	ClientISN, ServerISN   uint32
	At                     Point
}

// Writer writes the packet records it is given (it is a trace.Recorder)
// taken at each connection's capture point. Err says whether every write
// succeeded.
type Writer struct {
	w     *pcapgo.Writer
	ends  func(conn int) Endpoints
	buf   gopacket.SerializeBuffer
	zeros []byte
	err   error
	// sent is when each packet in flight left its sender, by packet id:
	// the timestamps option's value, and what a capture at the other end
	// echoes.
	sent map[uint64]time.Duration
	// echo is, by connection and side (Up: the client, Down: the
	// server), the timestamp the side last received from its peer (its
	// TSecr, RFC 7323 §4.3).
	echo map[[2]int]uint32
	ipID map[[2]int]uint16
	// scaled says, by connection and side, that the side's SYN offered
	// window scaling: its later windows are in units of 2^windowScale.
	scaled map[[2]int]bool
	// Payload, when set, gives the bytes of a segment: n bytes of the
	// stream of connection conn in direction dir from relative sequence
	// number seq (the first data byte is 1), or nil for filler.
	Payload func(conn int, dir trace.Dir, seq int64, n int) []byte
}

// windowScale is Linux's for an auto-tuned receive buffer (ilog2 of
// net.core.rmem_max less 15, tcp_select_initial_window): model/tcp_rwnd.go.
const windowScale = 10

// NewWriter writes a capture's header to w and returns its Writer, which
// names each connection's endpoints and capture point with ends.
func NewWriter(w io.Writer, ends func(conn int) Endpoints) (*Writer, error) {
	pw := pcapgo.NewWriterNanos(w)
	if err := pw.WriteFileHeader(65535, layers.LinkTypeRaw); err != nil {
		return nil, fmt.Errorf("pcap: writing the file header: %w", err)
	}
	return &Writer{w: pw, ends: ends, buf: gopacket.NewSerializeBuffer(),
		sent: map[uint64]time.Duration{}, echo: map[[2]int]uint32{}, ipID: map[[2]int]uint16{}, scaled: map[[2]int]bool{}}, nil
}

// Err is the first error a write met, nil if none.
func (w *Writer) Err() error { return w.err }

// Record takes one trace record: a packet seen at the capture point is
// written, every other record only kept as far as the packets need it.
func (w *Writer) Record(r trace.Record) {
	switch r.Kind {
	case trace.PacketSent:
		w.sent[r.Packet] = r.At
		if e := w.ends(r.Conn); seen(e.At, r.Dir, true) {
			w.write(&r, e, r.At, r.At)
		}
	case trace.PacketArrived:
		sent, ok := w.sent[r.Packet]
		delete(w.sent, r.Packet)
		if !ok {
			sent = r.At
		}
		// The receiver now echoes this packet's timestamp (RFC 7323 §4.3,
		// simplified: the latest it received), whatever the capture sees.
		w.echo[[2]int{r.Conn, int(3 - r.Dir)}] = stamp(sent)
		if e := w.ends(r.Conn); seen(e.At, r.Dir, false) {
			w.write(&r, e, r.At, sent)
		}
	case trace.PacketDropped:
		delete(w.sent, r.Packet)
	}
}

// seen reports whether a packet going in dir is captured at point at
// when it is sent (sending) or when it arrives.
func seen(at Point, dir trace.Dir, sending bool) bool {
	fromClient := dir == trace.Up
	switch at {
	case AtClient:
		return fromClient == sending
	case AtServer:
		return fromClient != sending
	}
	return false
}

// write writes packet r of endpoints e as captured at time at, sent at
// sent.
func (w *Writer) write(r *trace.Record, e Endpoints, at, sent time.Duration) {
	if w.err != nil {
		return
	}
	side := [2]int{r.Conn, int(r.Dir)}
	peer := [2]int{r.Conn, int(3 - r.Dir)}
	src, dst, sport, dport, isn, peerISN := e.Client, e.Server, e.ClientPort, e.ServerPort, e.ClientISN, e.ServerISN
	if r.Dir == trace.Down {
		src, dst, sport, dport, isn, peerISN = e.Server, e.Client, e.ServerPort, e.ClientPort, e.ServerISN, e.ClientISN
	}
	tsval := stamp(sent)
	tsecr := w.echo[side] // the latest timestamp the sender had received
	w.ipID[side]++

	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Flags: layers.IPv4DontFragment, Id: w.ipID[side],
		Protocol: layers.IPProtocolTCP, SrcIP: src.To4(), DstIP: dst.To4()}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport),
		Seq: isn + uint32(r.Seq), FIN: r.Flags&trace.FIN != 0, SYN: r.Flags&trace.SYN != 0,
		RST: r.Flags&trace.RST != 0, PSH: r.Flags&trace.PSH != 0, ACK: r.Flags&trace.ACK != 0}
	if tcp.ACK {
		tcp.Ack = peerISN + uint32(r.Ack)
	}
	blocks := sackBlocks(r.Sack, peerISN)
	optBytes := r.Wire - r.Len - 40 - sackLen(len(blocks))
	if tcp.SYN {
		tcp.Options = synOptions(optBytes, r.Wnd, tsval, tsecr)
		w.scaled[side] = optBytes == linuxSynBytes
		tcp.Window = uint16(min(r.Wnd, 65535))
	} else {
		tcp.Options = options(optBytes, tsval, tsecr, blocks)
		wnd := r.Wnd
		if w.scaled[side] && w.scaled[peer] { // both offered it (RFC 7323 §2.2)
			wnd >>= windowScale
		}
		tcp.Window = uint16(min(wnd, 65535))
	}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		w.err = err
		return
	}
	if len(w.zeros) < r.Len {
		w.zeros = make([]byte, r.Len)
	}
	payload := w.zeros[:r.Len]
	if w.Payload != nil && r.Len > 0 {
		if b := w.Payload(r.Conn, r.Dir, r.Seq, r.Len); len(b) == r.Len {
			payload = b
		}
	}
	if err := gopacket.SerializeLayers(w.buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		ip, tcp, gopacket.Payload(payload)); err != nil {
		w.err = fmt.Errorf("pcap: packet %d: %w", r.Packet, err)
		return
	}
	data := w.buf.Bytes()
	ci := gopacket.CaptureInfo{Timestamp: Epoch.Add(at), CaptureLength: len(data), Length: len(data)}
	if err := w.w.WritePacket(ci, data); err != nil {
		w.err = fmt.Errorf("pcap: writing packet %d: %w", r.Packet, err)
	}
}

// stamp is a time on the timestamps option's clock: 1 ms ticks, as
// Linux's (tcp_time_stamp_ts), both ends' clocks at 0 at the epoch.
func stamp(t time.Duration) uint32 { return uint32(t / time.Millisecond) }

// linuxSynBytes are the options of a Linux SYN: MSS (4, RFC 9293
// §3.7.1), SACK permitted (2, RFC 2018 §2), timestamps (10, RFC 7323
// §3), a NOP and window scale (1 + 3, RFC 7323 §2.2), in tcp_syn_options'
// order.
const linuxSynBytes = 20

// linuxMSS is the MSS a Linux end advertises on a 1500-byte Ethernet
// link: 1500 − 40 (RFC 9293 §3.7.1; tcp_advertise_mss), the timestamps
// option's 12 bytes coming off each segment's payload after.
const linuxMSS = 1460

func synOptions(n, wnd int, tsval, tsecr uint32) []layers.TCPOption {
	switch n {
	case linuxSynBytes:
		return []layers.TCPOption{mss(), {OptionType: layers.TCPOptionKindSACKPermitted},
			timestamps(tsval, tsecr), nop(), {OptionType: layers.TCPOptionKindWindowScale, OptionData: []byte{windowScale}}}
	case 4:
		return []layers.TCPOption{mss()}
	}
	return nops(n)
}

// options are a segment's other than a SYN's: the timestamps option when
// the model charged its 12 bytes, then the SACK blocks.
func options(n int, tsval, tsecr uint32, blocks [][2]uint32) []layers.TCPOption {
	var opts []layers.TCPOption
	if n == 12 {
		opts = append(opts, nop(), nop(), timestamps(tsval, tsecr))
	} else {
		opts = append(opts, nops(n)...)
	}
	if len(blocks) > 0 {
		data := make([]byte, 0, 8*len(blocks))
		for _, b := range blocks {
			data = binary.BigEndian.AppendUint32(data, b[0])
			data = binary.BigEndian.AppendUint32(data, b[1])
		}
		opts = append(opts, nop(), nop(), layers.TCPOption{OptionType: layers.TCPOptionKindSACK, OptionData: data})
	}
	return opts
}

func mss() layers.TCPOption {
	return layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionData: binary.BigEndian.AppendUint16(nil, linuxMSS)}
}

func timestamps(tsval, tsecr uint32) layers.TCPOption {
	return layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps,
		OptionData: binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, tsval), tsecr)}
}

func nop() layers.TCPOption { return layers.TCPOption{OptionType: layers.TCPOptionKindNop} }

// nops fill n bytes the model charged that name no option.
func nops(n int) []layers.TCPOption {
	out := make([]layers.TCPOption, 0, max(n, 0))
	for range max(n, 0) {
		out = append(out, nop())
	}
	return out
}

// sackLen is the SACK option with n blocks, after two NOPs (RFC 2018 §3).
func sackLen(n int) int {
	if n == 0 {
		return 0
	}
	return 4 + 8*n
}

// sackBlocks reads a record's SACK blocks ("left-right" relative, right
// edge exclusive, a D-SACK first as "D:left-right") as absolute sequence
// numbers of the peer's data.
func sackBlocks(s string, peerISN uint32) [][2]uint32 {
	var out [][2]uint32
	for _, f := range strings.Fields(s) {
		f = strings.TrimPrefix(f, "D:")
		var l, r int64
		if _, err := fmt.Sscanf(f, "%d-%d", &l, &r); err == nil {
			out = append(out, [2]uint32{peerISN + uint32(l), peerISN + uint32(r)})
		}
	}
	return out
}
