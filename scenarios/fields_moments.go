package scenarios

import (
	"strings"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// The rows of a lesson's key moments (moments[]): predicates over the
// trace that the terminal UI jumps to with n and N. See [trace.Moment],
// whose fields they are.

// sides are the words of moments[].side: the side a record is about.
var sides = []option[trace.Dir]{{"client", trace.Up}, {"server", trace.Down}}

func momentFields() []Field {
	return []Field{
		{Path: "moments[].name", Kind: KindText, Allowed: "a word no earlier moment has", Default: prose("none"),
			Doc: "how a later moment's `after` refers to this one"},
		{Path: "moments[].say", Kind: KindText, Required: true,
			Allowed: "one line; `{conn}`, `{page}`, `{client}`, `{side}` and `{label}` stand for the record's",
			Doc:     "the sentence the explanation line shows at the moment. It states no number of its own: the braces are the matched record's, and the explanation after it computes the rest from the trace"},
		{Path: "moments[].kind", Kind: KindChoice, Words: trace.KindNames(), Required: true,
			Doc: "the kind of trace record (`keepalive run --trace FILE` writes them): `state` a TCP state change, `request` a request sent, `idle-timeout`, `retry`, `packet-sent`, `slot-free`, `page-loaded` …"},
		{Path: "moments[].side", Kind: KindChoice, Words: words(sides), Default: prose("either"),
			Doc: "the side the record is about: a packet's sender, the endpoint of a TCP state, a timeout or a retransmission"},
		{Path: "moments[].flags", Kind: KindText, Allowed: "TCP flags as a trace writes them: `FIN`, `RST`, `SYN, ACK`", Default: prose("any"),
			Doc: "a packet's flags must include these; only with a packet's kind"},
		{Path: "moments[].state", Kind: KindText, Allowed: "a state of the kind's records: a TCP state (`TIME-WAIT`) for `state`, a reason (`fast-retransmit`) for `cwnd`", Default: prose("any"),
			Doc: "the record's state"},
		{Path: "moments[].from", Kind: KindText, Allowed: "a TCP state; only with kind `state`", Default: prose("any"),
			Doc: "the TCP state the side left: `state: CLOSED` `from: TIME-WAIT` is a TIME-WAIT ending"},
		{Path: "moments[].label", Kind: KindText, Allowed: "text the record's label begins with", Default: prose("any"),
			Doc: "`GET /next.html`, `408`: a request's or a packet's label (a packet's is what the ladder shows)"},
		{Path: "moments[].note", Kind: KindText, Allowed: "a note as the trace writes it: `timeout`, `SYN timeout`, `fast retransmit` …", Default: prose("any"),
			Doc: "the record's note must be this: why a segment was sent again, how a TLS handshake went"},
		{Path: "moments[].page", Kind: KindCount, Unit: "page", Range: "[0, )", Default: func() string { return code("0") }, Note: "; `0` = any",
			Doc: "the record's page of the visit, from 1"},
		{Path: "moments[].client", Kind: KindCount, Unit: "browser", Range: "[0, )", Default: func() string { return code("0") }, Note: "; `0` = any",
			Doc: "the record's browser, from 1, or its connection's; `1` also takes a scenario of one browser"},
		{Path: "moments[].conn", Kind: KindChoice, Words: trace.ConnRuleNames(), Default: func() string { return code("any") },
			Doc: "`same`: the connection of the moment named by `after`. For a `request`: `new`, its connection's first; `reused`, on a connection that carried an earlier request; `kept`, on one kept open from an earlier page"},
		{Path: "moments[].after", Kind: KindText, Allowed: "the name of an earlier moment", Default: prose("none: from the start"),
			Doc: "only records after the one that moment matched count"},
		{Path: "moments[].nth", Kind: KindCount, Unit: "count", Range: "[0, )", Default: func() string { return code("1") }, Note: "; `0` = every match",
			Doc: "which matching record: the first, the second, …; `0` makes every match a moment"},
		{Path: "moments[].protocols", Kind: KindList, Allowed: "a list of " + strings.Join(protocolWords(), ", "), Default: prose("every protocol"),
			Doc: "the runs the moment is about: `[http1.1, http1.1-pipelined]` for a race that HTTP/1.0, which never reuses a connection, cannot have"},
	}
}

// protocolWords are the protocols' names, as Markdown code.
func protocolWords() []string {
	var out []string
	for _, p := range model.AllProtocols {
		out = append(out, code(p.String()))
	}
	return out
}
