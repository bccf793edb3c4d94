package model

import "github.com/keepalive-sim/keepalive/model/trace"

// traceMessage hands f the message m that side just wrote from
// sequence number seq on: what a capture needs to give its segments
// their bytes (trace.Message). Runs call it only when the recorder asks
// for messages; a message written in two (split) is two.
func (s *session) traceMessage(f func(trace.Message), side trace.Dir, m *message, seq int64) {
	c := s.conn
	tm := trace.Message{At: c.net.sim.Now(), Conn: c.ID, Dir: side, Seq: seq, Size: m.size,
		Negligible: m.neg, Label: m.label, Body: m.body, Last: m.last, Increment: m.inc, Host: s.cfg.HTTP.Host}
	if s.cfg.Clients.Count > 1 {
		tm.Client = c.ClientIndex + 1
	}
	if v := s.cfg.TLS.Version; v != NoTLS {
		tm.TLS = v.traced()
	}
	if m.ex != nil {
		tm.Resource, tm.Stream = m.ex.rid, int(m.ex.stream)
		if side == trace.Down {
			tm.ContentType, tm.ContentLength = contentType(m.ex.res.Type), m.ex.res.Size
		}
	}
	if m.wire != nil {
		tm.Head, tm.Settings = m.wire.head, m.wire.settings
		if m.ctl == ctlGoAway {
			tm.Stream = m.wire.lastStream
		}
	}
	switch m.kind {
	case msgTLS:
		tm.What, tm.Flight, tm.Resumed = trace.MsgTLSFlight, m.step, s.resumed
		tm.Early = s.resumed && s.cfg.TLS.EarlyData && s.cfg.TLS.Version == TLS13
	case msgRequest:
		tm.What = trace.MsgRequest
	case msgResponse:
		tm.What = trace.MsgResponse
	case msg408:
		tm.What = trace.MsgTimeout
	case msgH2Headers:
		tm.What = trace.MsgH2Headers
	case msgH2Data:
		tm.What = trace.MsgH2Data
	case msgH2Control:
		tm.What = [...]trace.MessageKind{ctlPreface: trace.MsgH2Preface, ctlSettings: trace.MsgH2Settings,
			ctlSettingsAck: trace.MsgH2SettingsAck, ctlWindowUpdate: trace.MsgH2WindowUpdate, ctlGoAway: trace.MsgH2GoAway}[m.ctl]
	}
	if m.split > 0 && m.split < m.size && !m.neg {
		first := tm
		first.Size = m.split
		f(first)
		tm.Seq, tm.Size, tm.Continued = seq+int64(m.split), m.size-m.split, true
		tm.Label, tm.Head = "", nil
	}
	f(tm)
}
