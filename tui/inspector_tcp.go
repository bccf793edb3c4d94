package tui

import (
	"strings"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// The TCP options a segment carries, as far as its trace record tells
// them. The record has the segment's bytes on the wire (Wire) and its
// payload (Len); the rest are its IP and TCP headers, options included,
// which the model charges as tcp.header_bytes on every segment (40: no
// options; 52: Linux's timestamps, docs/scenarios.md) but a SYN or
// SYN-ACK, which has tcp.syn_header_bytes (60: Linux's handshake options;
// 44: the MSS option alone), and, on an ACK with SACK blocks, the SACK
// option besides (model/segment.go). So the bytes beyond the bare
// headers and the SACK option name the options when their size says
// which, and are only counted otherwise.
const (
	// bareHeaders is a 20-byte IPv4 header (RFC 791 §3.1) and a
	// 20-byte TCP header without options (RFC 9293 §3.1: Data Offset 5).
	bareHeaders = 40
	// timestampsBytes is the timestamps option, kind 8 and length 10
	// (RFC 7323 §3.2), after the two NOPs that align it on 4 bytes, as
	// Linux sends it on every segment (RFC 7323 Appendix A).
	timestampsBytes = 12
	// linuxSynBytes are Linux's options on a SYN (tcp_syn_options): MSS
	// (4, RFC 9293 §3.7.1), SACK permitted and timestamps (2 + 10, RFC
	// 2018 §2, RFC 7323 §3), a NOP and window scale (1 + 3, RFC 7323
	// §2.2); no other set of these options takes 20 bytes.
	linuxSynBytes = 20
	// mssBytes is the MSS option alone (kind 2, length 4).
	mssBytes = 4
)

// sackBytes is the SACK option with n blocks: kind 5, length 2 + 8n
// (RFC 2018 §3), after two NOPs, as Linux aligns it.
func sackBytes(n int) int {
	if n == 0 {
		return 0
	}
	return 4 + 8*n
}

// tcpOptions are the inspector's words for segment r's options: by name
// where its header bytes determine them, else their size. Nothing in
// ideal mode, where a packet has no headers, or when the headers are
// smaller than bare IP and TCP (a scenario's own tcp.header_bytes).
func tcpOptions(r *trace.Record) []string {
	if r.Wire == 0 {
		return nil
	}
	blocks := len(strings.Fields(r.Sack))
	rest := r.Wire - r.Len - bareHeaders - sackBytes(blocks)
	if rest < 0 {
		return nil
	}
	var named []string
	switch syn := r.Flags&trace.SYN != 0; {
	case syn && rest == linuxSynBytes:
		named, rest = append(named, "MSS, SACK permitted, timestamps, window scale ("+itoa(linuxSynBytes)+" B, as Linux sends them)"), 0
	case syn && rest == mssBytes:
		named, rest = append(named, "MSS ("+itoa(mssBytes)+" B)"), 0
	case !syn && rest == timestampsBytes:
		named, rest = append(named, "timestamps ("+itoa(timestampsBytes)+" B)"), 0
	}
	if blocks > 0 {
		named = append(named, "SACK with "+plural(blocks, "block")+" ("+itoa(sackBytes(blocks))+" B)")
	}
	var fs []string
	switch {
	case len(named) == 0 && rest == 0:
		fs = append(fs, "no options")
	case len(named) == 0:
		fs = append(fs, "options "+itoa(rest)+" B: which ones, the trace does not say")
	case rest > 0:
		fs = append(fs, "options: "+strings.Join(named, ", ")+", "+itoa(rest)+" B more the trace does not name")
	default:
		fs = append(fs, "options: "+strings.Join(named, ", "))
	}
	return fs
}
