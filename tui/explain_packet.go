package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// what names a packet's payload for a sentence: its label, or its data
// range and the resource the bytes belong to.
func what(r *trace.Record, ctx *ExplainContext) string {
	d := r.Describe()
	if strings.HasPrefix(d, "DATA ") && r.Label == "" && ctx.Resource != "" {
		d += " of " + ctx.Resource
	}
	return d
}

func explainSent(r *trace.Record, ctx *ExplainContext) string {
	by, to := side(r.Dir), other(r.Dir)
	prefix := ""
	if r.Retx {
		prefix = "retransmission: "
	}
	f := r.Flags
	switch {
	case f&trace.RST != 0 && ctx.Before.Gone():
		return fmt.Sprintf("%sRST sent by %s: connection %d no longer exists there, so it answers what arrived with a reset", prefix, by, r.Conn)
	case f&trace.RST != 0 && ctx.Before.AppClosed():
		return fmt.Sprintf("%sRST sent by %s: data arrived on connection %d after it had closed it, so it resets the connection (RFC 1122 §4.2.2.13)", prefix, by, r.Conn)
	case f&trace.RST != 0:
		return fmt.Sprintf("%sRST sent by %s: it aborts connection %d at once, without the FIN handshake", prefix, by, r.Conn)
	case f&trace.SYN != 0 && f&trace.ACK == 0:
		return fmt.Sprintf("%sSYN sent by %s: opening connection %d costs a round trip before a request can go out", prefix, by, r.Conn)
	case f&trace.SYN != 0:
		return fmt.Sprintf("%sSYN-ACK sent by %s: it accepts connection %d and waits for the last ACK", prefix, by, r.Conn)
	case f&trace.FIN != 0 && r.Dir == trace.Down && ctx.Protocol == trace.HTTP10:
		return fmt.Sprintf("%sFIN sent by the server on connection %d: HTTP/1.0 closes the connection after each response", prefix, r.Conn)
	case f&trace.FIN != 0:
		return fmt.Sprintf("%sFIN sent by %s: it has nothing more to send on connection %d", prefix, by, r.Conn)
	case r.Label == trace.ProbeLabel:
		s := fmt.Sprintf("TCP keep-alive probe sent by %s on connection %d", by, r.Conn)
		if ctx.Held > 0 {
			s += " after " + fmtTime(ctx.Held) + " of silence"
		}
		return s + ": the other side must answer it, or the connection is given up after a few unanswered probes (RFC 9293 §3.8.4); this is TCP's keep-alive, not HTTP's"
	case r.Label == trace.ProbeAckLabel:
		return fmt.Sprintf("ACK sent by %s on connection %d: its answer to the keep-alive probe, so both ends know the connection is still there", by, r.Conn)
	case r.Len == 0 && r.Dir == trace.Up && r.Ack <= 1:
		return fmt.Sprintf("%sACK sent by the client on connection %d: the handshake's third packet; the client may send its request right behind it", prefix, r.Conn)
	case r.Len == 0:
		return fmt.Sprintf("%sACK sent by %s on connection %d: it has received every byte up to %d", prefix, by, r.Conn, r.Ack-1) + sackWords(r.Sack)
	}
	d := what(r, ctx)
	size := fmt.Sprintf("%d bytes", r.Len)
	if r.Wire == 0 && r.Len > 0 {
		size = "negligible in ideal mode: no time on the wire"
	}
	switch {
	case strings.HasPrefix(d, "ClientHello"):
		return fmt.Sprintf("%sClientHello sent: the client starts TLS on connection %d", prefix, r.Conn)
	case strings.HasPrefix(d, "ServerHello"):
		return fmt.Sprintf("%s%s sent on connection %d: the server answers with its certificate and keys", prefix, d, r.Conn)
	case strings.HasPrefix(d, "DATA "):
		return fmt.Sprintf("%s%s sent by %s on connection %d (%s)", prefix, d, by, r.Conn, size)
	case r.Dir == trace.Up && isRequest(d):
		return fmt.Sprintf("%srequest %s leaves the client on connection %d (%s)", prefix, d, r.Conn, size)
	}
	return fmt.Sprintf("%s%s sent by %s to %s on connection %d (%s)", prefix, d, by, to, r.Conn, size)
}

func isRequest(label string) bool {
	for _, m := range []string{"GET ", "HEAD ", "POST ", "PUT "} {
		if strings.HasPrefix(label, m) {
			return true
		}
	}
	return false
}

func explainArrived(r *trace.Record, ctx *ExplainContext) string {
	at := other(r.Dir)
	f := r.Flags
	if ctx.Before.Gone() {
		// Nobody is there to take it: a socket that is gone (or in
		// TIME-WAIT) answers data with a reset and ignores a reset.
		switch {
		case f&trace.RST != 0 && ctx.Before == trace.TimeWait:
			return fmt.Sprintf("RST arrived at %s, whose side of connection %d is in TIME-WAIT: at the sequence number expected next it ends TIME-WAIT at once (RFC 9293 §3.10.7.4; Linux unless net.ipv4.tcp_rfc1337 is set), otherwise it is ignored", at, r.Conn)
		case f&trace.RST != 0:
			return fmt.Sprintf("another RST arrived at %s for connection %d, already closed there: nothing is left to reset", at, r.Conn)
		case ctx.Before == trace.TimeWait:
			return fmt.Sprintf("%s arrived at %s, whose side of connection %d is in TIME-WAIT: it only acknowledges it", r.Describe(), at, r.Conn)
		}
		return fmt.Sprintf("%s arrived at %s, which has already closed connection %d: it answers with RST (RFC 9293 §3.10.7.1)", what(r, ctx), at, r.Conn)
	}
	switch {
	case f&trace.RST != 0:
		return fmt.Sprintf("RST arrived at %s: connection %d is reset and gone", at, r.Conn)
	case f&trace.SYN != 0 && f&trace.ACK == 0:
		return fmt.Sprintf("SYN for connection %d arrived at %s: it answers with SYN-ACK", r.Conn, at)
	case f&trace.SYN != 0:
		return fmt.Sprintf("SYN-ACK arrived on connection %d: the handshake cost one round trip before any request could be sent", r.Conn)
	case f&trace.FIN != 0:
		return fmt.Sprintf("FIN arrived at %s: %s has finished sending on connection %d", at, side(r.Dir), r.Conn)
	case r.Label == trace.ProbeLabel:
		return fmt.Sprintf("keep-alive probe arrived at %s on connection %d: it answers with an ACK", at, r.Conn)
	case r.Label == trace.ProbeAckLabel:
		return fmt.Sprintf("the answer to the keep-alive probe arrived at %s: connection %d is still alive at both ends", at, r.Conn)
	case r.Len == 0 && r.Dir == trace.Up && r.Ack <= 1:
		return fmt.Sprintf("ACK arrived at the server on connection %d: the handshake is complete on both sides", r.Conn)
	case r.Len == 0 && r.Sack != "":
		return fmt.Sprintf("ACK arrived at %s on connection %d: bytes up to %d are delivered", at, r.Conn, r.Ack-1) + sackWords(r.Sack)
	case r.Len == 0:
		return fmt.Sprintf("ACK arrived at %s on connection %d: bytes up to %d are delivered, so it may send more", at, r.Conn, r.Ack-1)
	}
	d := what(r, ctx)
	switch {
	case r.Dir == trace.Up && isRequest(d):
		return fmt.Sprintf("request %s arrived at the server on connection %d", d, r.Conn)
	case strings.HasPrefix(d, "200 ") || strings.HasPrefix(d, "HEADERS 200"):
		return fmt.Sprintf("the response's first segment arrived on connection %d: %s", r.Conn, d)
	}
	return fmt.Sprintf("%s arrived at %s on connection %d (%d bytes)", d, at, r.Conn, r.Len)
}

// explainDropped says what losing this packet costs and who repairs it:
// TCP resends data, SYNs and FINs after a timeout or duplicate ACKs, but
// never a pure ACK or a reset.
func explainDropped(r *trace.Record, ctx *ExplainContext) string {
	why := orWord(r.Note, "lost")
	f := r.Flags
	head := fmt.Sprintf("packet dropped (%s): ", why)
	switch {
	case f&trace.SYN != 0 && f&trace.ACK == 0:
		return head + fmt.Sprintf("the SYN of connection %d never arrives; the client's SYN timer will send it again", r.Conn)
	case f&trace.SYN != 0:
		return head + fmt.Sprintf("the SYN-ACK of connection %d never arrives; the server sends it again when its timer expires or the client's SYN comes again", r.Conn)
	case f&trace.RST != 0:
		return head + fmt.Sprintf("the RST of connection %d never arrives; a reset is never resent, the other side learns of it when it next sends", r.Conn)
	case r.Label == trace.ProbeLabel:
		return head + fmt.Sprintf("the keep-alive probe on connection %d never arrives; the client probes again after its interval", r.Conn)
	case r.Len == 0 && f&trace.FIN == 0:
		return head + fmt.Sprintf("an ACK on connection %d never arrives; a pure ACK is never resent: the next cumulative ACK covers it", r.Conn)
	case r.Len == 0:
		return head + fmt.Sprintf("the FIN of connection %d never arrives; %s resends it when its retransmission timer expires", r.Conn, side(r.Dir))
	}
	if ctx.SACK {
		return head + fmt.Sprintf("%s on connection %d never arrives; %s sees a gap and SACKs what comes after it, and RACK, a tail loss probe or a timeout makes %s send it again",
			what(r, ctx), r.Conn, other(r.Dir), side(r.Dir))
	}
	return head + fmt.Sprintf("%s on connection %d never arrives; %s sees a gap, and duplicate ACKs or a timeout make %s send it again",
		what(r, ctx), r.Conn, other(r.Dir), side(r.Dir))
}

// sackWords says what an ACK's SACK blocks (trace.Record.Sack) report:
// "; beyond a gap it has also received 5793–7240 (SACK, RFC 2018)".
func sackWords(sack string) string {
	if sack == "" {
		return ""
	}
	var have, twice []string
	for _, b := range strings.Fields(sack) {
		dup := strings.HasPrefix(b, "D:")
		b = strings.TrimPrefix(b, "D:")
		left, right, ok := strings.Cut(b, "-")
		if !ok {
			continue
		}
		r, err := strconv.ParseInt(right, 10, 64)
		if err != nil {
			continue
		}
		words := left + "–" + strconv.FormatInt(r-1, 10)
		if dup {
			twice = append(twice, words)
		} else {
			have = append(have, words)
		}
	}
	s := ""
	if len(have) > 0 {
		s += "; beyond a gap it has also received " + strings.Join(have, ", ") + " (SACK, RFC 2018)"
	}
	if len(twice) > 0 {
		s += "; " + strings.Join(twice, ", ") + " arrived twice (D-SACK, RFC 2883)"
	}
	return s
}
