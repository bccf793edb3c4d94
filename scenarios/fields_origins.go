package scenarios

// The rows of the hosts a page uses besides http.host, and of DNS: see
// [Field].
func originFields() []Field {
	return []Field{
		{Path: "origins[].host", Kind: KindText, Required: true, Allowed: "a host name, no spaces or `/`; each once, not `http.host`",
			Doc: "the origin's name, sent in `Host` / `:authority`; resources name it in their URL"},
		{Path: "origins[].delay", Kind: KindDuration, Unit: "duration", Range: "[0, )",
			Default: func() string { return code(formatDuration(0)) },
			Doc:     "extra one-way delay beyond the client's link: the origin is farther away (its round trip is `link.rtt` + 2 × `delay`); its packets share the client's link, rate, queue and loss. The delay is added after the link's queue both ways, so an origin's packets to the client wait in it as if they had already crossed the distance: it matters only when that queue is long"},
		{Path: "origins[].server", Kind: KindSection, Like: "server", Allowed: "a server section", Default: prose("the file's `server`"),
			Doc: "the origin's own connection handling: idle timeouts, capacity, processing"},
		{Path: "origins[].tls", Kind: KindSection, Like: "tls", Allowed: "a tls section", Default: prose("the file's `tls`"),
			Doc: "TLS on the origin's connections"},
		{Path: "origins[].http2", Kind: KindBool, Default: func() string { return code("true") },
			Doc: "the origin speaks HTTP/2; when `false`, an `http2` run fetches from it over HTTP/1.1 keep-alive with `http.parallel` connections, as a browser does when ALPN offers no `h2` (RFC 7301). An origin without TLS speaks HTTP/2 in cleartext with prior knowledge (h2c), as the main host does in the lessons without TLS; browsers speak HTTP/2 over TLS only ([protocols](protocols.md))"},
		{Path: "origins[].same_server", Kind: KindText, Allowed: "`http.host` or another origin's `host` (one with a server of its own)", Default: prose("none"),
			Doc: "the host whose server also serves this origin (the same address, a certificate for both names): the origin then shares that server's worker slots and settings, and its own `server`, `tls`, `http2` and `delay` are not used; with `http.coalesce` an HTTP/2 browser reuses that host's connection when one is open (RFC 9113 §9.1.1)"},

		{Path: "dns.enabled", Kind: KindBool,
			Doc: "look each host up before its first connection; off, names resolve at once (the textbook's formulas leave `RTT_DNS` out unless they ask for it)"},
		{Path: "dns.rtt", Kind: KindDuration, Unit: "duration", Range: "[0, )", Note: "; `0` = the link's round trip",
			Doc: "how long a lookup takes: Kurose & Ross's `RTT_DNS` (`RTT_1 + … + RTT_n` when the resolver asks n servers in turn). `0` takes `link.rtt`: a resolver at the access network answering from its cache"},
		{Path: "dns.ttl", Kind: KindDuration, Unit: "duration", Range: "[0, )", Note: "; `0` = no cache",
			Doc: "how long the browser keeps an answer, across the pages of its session: 60 s, Chrome's for what the system resolver returns (`kCacheEntryTTLSeconds`) and Firefox's `network.dnsCacheExpiration`. A host with a connection still open needs no new lookup"},
	}
}
