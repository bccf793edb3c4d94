package scenarios

import (
	"fmt"
	"strconv"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/units"
	"github.com/keepalive-sim/keepalive/sim"
)

// The rows of TLS and HTTP, the browser and server, the pages, the
// clients, the proxy and the limits: see [Field].

func httpFields() []Field {
	var protocols []string
	for _, p := range model.AllProtocols {
		protocols = append(protocols, p.String())
	}
	return []Field{
		{Path: "tls.version", Kind: KindChoice, Words: words(tlsVersions), Allowed: "`none`, `\"1.2\"`, `\"1.3\"`",
			Doc: "TLS on every connection. 1.2: a full handshake of 2 round trips (RFC 5246). 1.3: 1 round trip (RFC 8446). Quoting the number is optional"},
		{Path: "tls.resume", Kind: KindBool,
			Doc: "later connections resume the first one's session: an abbreviated handshake of one round trip. Only with `version` 1.2 or 1.3: without TLS there is no session to resume"},
		{Path: "tls.early_data", Kind: KindBool, Allowed: "`true` only with `version: \"1.3\"` and `resume: true`",
			Doc: "0-RTT: a resumed connection sends its first request with the ClientHello (RFC 8446 §2.3)"},

		{Path: "http.protocol", Kind: KindChoice, Words: protocols, Note: " (any case)",
			Doc: "`http1.0`: a new connection per request, closed after the response (RFC 1945). `http1.1`: keep-alive, idle connections reused, one request at a time each (RFC 9112 §9.3). `http1.1-pipelined`: several requests sent on a connection without waiting, responses in order (RFC 9112 §9.3.2). `http2`: every request a stream, multiplexed on one connection (RFC 9113). `http3`: every request a stream of one QUIC connection, each stream delivered on its own, so a lost packet holds back only its own streams (RFC 9114, RFC 9000); always TLS 1.3, set by the protocol (the `quic` section)"},
		{Path: "http.parallel", Kind: KindCount, Unit: "connections", Range: "[1, 1000]",
			Doc: "most connections the browser opens to the host in the HTTP/1.x protocols; Chrome and Firefox use 6. `1` gives the textbook's serial case. HTTP/2 always uses one"},
		// RFC 9113 §6.9.1: a flow-control window is at most 2^31 − 1.
		{Path: "http.stream_window", Kind: KindSize, Also: []string{"unlimited"}, Unit: "bytes", Range: "[1, 2147483647]", Note: " or `unlimited`",
			Doc: "HTTP/2 flow-control window per stream (RFC 9113 §6.9.1). The protocol's initial value is 65,535; 6 MiB is Chrome's `SETTINGS_INITIAL_WINDOW_SIZE`"},
		{Path: "http.conn_window", Kind: KindSize, Also: []string{"unlimited"}, Unit: "bytes", Range: "[65535, 2147483647]",
			Note: " or `unlimited` (the connection window starts at 65,535 and can only grow, RFC 9113 §6.9.2)",
			Doc:  "HTTP/2 connection window: 15 MiB + 64 KiB, Chrome's after its first WINDOW_UPDATE"},
		// RFC 9113 §6.5.2: SETTINGS_MAX_FRAME_SIZE is 2^14 to 2^24 − 1.
		{Path: "http.max_frame", Kind: KindSize, Unit: "bytes", Range: "[16384, 16777215]",
			Doc: "largest HTTP/2 DATA frame payload: the initial `SETTINGS_MAX_FRAME_SIZE` (RFC 9113 §4.2, §6.5.2)"},
		{Path: "http.max_streams", Kind: KindCount, Also: []string{"unlimited"}, Unit: "streams", Range: "[1, 2147483647]", Note: " or `unlimited`",
			Doc: "the server's `SETTINGS_MAX_CONCURRENT_STREAMS` (RFC 9113 §6.5.2; nginx's `http2_max_concurrent_streams`): the browser keeps no more HTTP/2 requests in flight and queues the rest. `ideal` makes it unlimited"},
		{Path: "http.host", Kind: KindText, Allowed: "a host name, no spaces or `/`",
			Doc: "the server's name, sent in `Host` / `:authority`. Default: a domain reserved for examples (RFC 2606)"},
		{Path: "http.coalesce", Kind: KindBool,
			Doc: "with `http2`, send the requests for an origin that names `same_server` on that host's connection, as Chrome and Firefox do (RFC 9113 §9.1.1: the same address and a certificate for both names); needs TLS"},
	}
}

func endpointFields() []Field {
	slots := "[0, " + strconv.Itoa(maxCount) + "]"
	return []Field{
		{Path: "browser.idle_timeout", Kind: KindDuration, Unit: "duration", Range: "[0, )", Note: "; `0` = never",
			Doc: "the browser closes a connection it has not used for this long (Edge: 60 s; Firefox: 115 s; Chrome: 300 s for used sockets)"},
		{Path: "browser.retry", Kind: KindBool,
			Doc: "resend an idempotent request (every GET) on a new connection when its connection closes or resets before the response starts, as browsers do (RFC 9112 §9.3.1); `false`: the request fails and is counted"},

		{Path: "server.idle_timeout", Kind: KindDuration, Unit: "duration", Range: "[0, )", Note: "; `0` = never",
			Doc: "the server closes a keep-alive connection idle this long after its last response (nginx `keepalive_timeout` 75 s; Apache `KeepAliveTimeout` 5 s)"},
		{Path: "server.max_requests", Kind: KindCount, Unit: "count", Range: slots, Note: "; `0` = no limit",
			Doc: "responses per connection before the server closes it with `Connection: close` (nginx `keepalive_requests`; Apache `MaxKeepAliveRequests` 100). HTTP/1.x only"},
		{Path: "server.idle_close", Kind: KindChoice, Words: words(idleCloses),
			Doc: "how an idle connection is closed: a silent FIN (nginx), or `408 Request Timeout` first (RFC 9110 §15.5.9)"},
		{Path: "server.max_connections", Kind: KindCount, Unit: "count", Range: slots, Note: "; `0` = no limit",
			Doc: "worker slots (Apache `MaxRequestWorkers`): a connection holds one from accept, after its handshake, until the server closes it, idle or not"},
		{Path: "server.backlog", Kind: KindCount, Unit: "count", Range: slots,
			Doc: "connections that may wait for a slot after their handshake (nginx's `listen` backlog); with every slot taken and the backlog full, the server drops SYNs and the client's TCP retries them"},
		{Path: "server.first_write", Kind: KindSize, Unit: "bytes", Range: "[0, )", Note: "; `0` = the whole response at once",
			Doc: "the first write of an HTTP/1.x response to TCP: status line, headers and the start of the body, as Go's `net/http` flushes its 4 KiB buffer first. With `window_unit: packets` its short last segment (1200 of 1448 bytes) takes a whole window slot. Not in ideal mode"},
		{Path: "server.processing", Kind: KindDuration, Unit: "duration", Range: "[0, )",
			Doc: "from a request's arrival to the response's first write, before the resource's `think`: the testbed's Go server takes 0.1–0.36 ms (median 0.25 ms). The kernel answers a SYN at once, so a new connection's SYN-ACK leaves before a response to a request that arrived just before it. Not in ideal mode. It is processor time: the request waits for a core (`cpus`)"},
		{Path: "server.cpus", Kind: KindCount, Unit: "cores", Range: "[0, " + strconv.Itoa(model.MaxCPUs) + "]", Note: "; `0` = a core for every work item",
			Doc: "processor cores the server's work shares: accepts, TLS handshakes, requests (`processing` and the response's encryption) queue for them first come, first served, and wait while every core is busy ([lifecycle](lifecycle.md#what-connections-cost-the-server)). One core is a lesson-sized server"},
		{Path: "server.key", Kind: KindChoice, Words: words(certKeys),
			Doc: "the key of the server's certificate, which a full TLS handshake signs with (RFC 8446 §4.4.3; RFC 5246 §7.4.3): it decides `handshake_cpu`'s `auto` figure"},
		{Path: "server.accept_cpu", Kind: KindDuration, Also: []string{cpuAuto}, Unit: "duration", Range: "[0, )", Note: " or `auto`",
			Doc: "processor time of one `accept(2)` of an established connection. `auto`: the figure measured on Go's `net` ([lifecycle](lifecycle.md#what-connections-cost-the-server)), zero in ideal mode"},
		{Path: "server.handshake_cpu", Kind: KindDuration, Also: []string{cpuAuto}, Unit: "duration", Range: "[0, )", Note: " or `auto`",
			Doc: "processor time of the server's side of a full TLS handshake, charged when the ClientHello arrives. `auto`: the figure measured on Go's `crypto/tls` for `key` and `tls.version` ([lifecycle](lifecycle.md#what-connections-cost-the-server)), zero in ideal mode"},
		{Path: "server.resumed_cpu", Kind: KindDuration, Also: []string{cpuAuto}, Unit: "duration", Range: "[0, )", Note: " or `auto`",
			Doc: "processor time of a resumed TLS handshake: no certificate, no signature. TLS 1.3's still makes a key exchange (RFC 8446 §4.2.9). `auto`: the figure measured on Go's `crypto/tls` for `tls.version`, zero in ideal mode"},
		{Path: "server.cpu_costs", Kind: KindChoice, Words: words(costSources),
			Doc: "where the `auto` costs come from. `measured`: the figures measured once and recorded in the code ([lifecycle](lifecycle.md#what-connections-cost-the-server)). `measure`: measure Go's `crypto/tls` and `net` on this machine when the file is loaded (under a second) and use its figures for every cost left `auto`, for the server's `key` and `tls.version`; the run then depends on the machine it runs on, and the figures are in its configuration (`settings_sha256` changes with them)"},
		{Path: "server.encrypt_cpu", Kind: KindDuration, Also: []string{cpuAuto}, Unit: "duration per KiB", Range: "[0, )", Note: " or `auto`",
			Doc: "processor time to encrypt each KiB of a response body under TLS, charged with the request. `auto`: the figure measured for AES-128-GCM, zero in ideal mode"},
	}
}

// maxSize bounds a resource's size (model.MaxResourceSize, 1 TiB), as a
// file writes it.
const maxSize = "1024GiB"

func pageFields() []Field {
	sizes := "[0, " + maxSize + "]"
	return []Field{
		{Path: "page.html_size", Kind: KindSize, Unit: "bytes", Range: sizes, DefaultAt: "page.resources[0].size",
			Doc: "size of the base document `/index.html` (default: `model.DefaultConfig`)"},
		{Path: "page.objects", Kind: KindCount, Unit: "count", Range: "[0, " + strconv.Itoa(maxObjects) + "]",
			Default: func() string { return code(strconv.Itoa(defaultObjects)) },
			Doc:     "number of images `/img1.png`, `/img2.png`, … that the document references; all are found when the document has arrived"},
		{Path: "page.object_size", Kind: KindSize, Unit: "bytes, or a list of sizes", Range: sizes, Note: "; a list needs at least one size",
			Default: func() string { return code(units.FormatSize(defaultObjectSize)) },
			Doc:     "size of each object; a list is used in order and repeated when there are more objects than sizes"},
		{Path: "page.resources", Kind: KindList, Untabled: true, Allowed: "a list of resources, the base document first",
			Doc: "the page as a list of resources, instead of html_size, objects and object_size"},

		{Path: "page.resources[].path", Kind: KindText, Required: true, Allowed: "starts with `/`, or a URL `https://host/path` on `http.host` or a host of `origins`; each once",
			Doc: "URL path on `http.host`, or the whole URL of a resource on another host; the URL's scheme is not checked: the origin's `tls` decides"},
		{Path: "page.resources[].type", Kind: KindChoice, Words: resourceTypes(), Default: prose("from the extension"),
			Doc: "sets Content-Type and Accept. Left out: `.html`, `.htm` or no extension → `html`; `.css` → `css`; `.js`, `.mjs` → `js`; `.png`, `.jpg`, `.jpeg`, `.gif`, `.webp`, `.avif`, `.svg`, `.ico` → `img`; `.woff`, `.woff2`, `.ttf`, `.otf` → `font`; `.json` → `json`; anything else → `other`"},
		{Path: "page.resources[].size", Kind: KindSize, Unit: "bytes", Range: sizes, Required: true,
			Doc: "body size"},
		{Path: "page.resources[].think", Kind: KindDuration, Unit: "duration", Range: "[0, )", DefaultAt: "page.resources[0].think",
			Doc: "server time between receiving the request and starting the response"},
		{Path: "page.resources[].parent", Kind: KindText, Unit: "path",
			Allowed: "the path (or URL) of a resource listed **earlier**; not allowed on the first resource",
			Default: prose("`/index.html` (the first resource)"),
			Doc:     "the resource whose body references this one"},
		{Path: "page.resources[].offset", Kind: KindSize, Unit: "bytes", Allowed: "0 to the parent's size", DefaultAt: "page.resources[0].offset",
			Doc: "the reference is found once this many bytes of the parent's body have arrived; `0` means when the parent is complete"},

		{Path: "visits[].think", Kind: KindDuration, Unit: "duration", Range: "[0, )",
			Default: func() string { return code(formatDuration(model.Visit{}.Think)) },
			Doc:     "time the user reads the previous page before navigating"},
		{Path: "visits[].page", Kind: KindSection, Required: true, Allowed: "a page section",
			Doc: "the next page"},
	}
}

func runFields() []Field {
	return []Field{
		{Path: "clients.count", Kind: KindCount, Unit: "browsers", Range: "[1, 100000]",
			Doc: "clients, each on its own link with the `link` settings, each loading `page` then `visits`; how many fit depends on `limits.max_memory` (about 37,000 with the default page at 1GiB: [reliability](reliability.md#memory))"},
		{Path: "clients.rate", Kind: KindNumber, Unit: "arrivals per second", Range: "[0, 1000000]",
			Doc: "mean arrival rate of a Poisson process drawn from `seed`; `0` starts every client at time 0"},

		{Path: "proxy.enabled", Kind: KindBool, Default: prose("`true` when the section is present"),
			Doc: "turn the proxy on"},
		{Path: "proxy.protocol", Kind: KindChoice, Words: []string{model.HTTP10.String(), model.HTTP11.String()},
			Doc: "what the proxy speaks to the origin: a new connection per request, or a pool of persistent ones (nginx's `proxy_http_version` defaults to 1.0)"},
		{Path: "proxy.parallel", Kind: KindCount, Unit: "connections", Range: "[1, 1000]",
			Doc: "most connections from the proxy to the origin"},
		{Path: "proxy.idle_timeout", Kind: KindDuration, Unit: "duration", Range: "[0, )", Note: "; `0` = never",
			Doc: "the proxy closes an idle upstream connection (nginx upstream `keepalive_timeout`)"},
		{Path: "proxy.link", Kind: KindSection, Like: "link", Allowed: "a link section", Default: proxyLinkDefault,
			Doc: "the proxy ↔ origin link"},
		{Path: "proxy.origin", Kind: KindSection, Like: "server", Allowed: "a server section", Default: prose("the `server` defaults"),
			Doc: "the origin server's connection handling"},

		{Path: "limits.max_events", Kind: KindCount, Unit: "events", Range: "[0, )", Note: "; `0` = no bound",
			Doc: "most simulator events one run may execute"},
		{Path: "limits.max_time", Kind: KindDuration, Unit: "duration", Range: "[0, " + formatDuration(sim.Time(units.MaxDuration)) + "]",
			Note: "; `0` = no bound (a run still stops after a century of simulated time)",
			Doc:  "latest virtual time one run may reach"},
		{Path: "limits.max_memory", Kind: KindSize, Unit: "bytes", Range: "[1MiB, 1024GiB]", Note: "; `0` = no bound",
			Doc: "memory one run may take: clients and pages that alone would not fit are refused, and a run stops once the model's state (packets queued and in flight, connections, clients, pages, counted as they are made) passes two fifths of it, the rest being for what is not counted and the garbage collector ([reliability](reliability.md#memory))"},
	}
}

// proxyLinkDefault describes the default proxy ↔ origin link.
func proxyLinkDefault() string {
	l := model.DefaultConfig().Proxy.Link
	return fmt.Sprintf("%s, %s, buffer %d", formatDuration(2*l.Delay), units.FormatRate(int64(l.Down)), l.Buffer)
}

func resourceTypes() []string {
	names := make([]string, len(model.ResourceTypes))
	for i, t := range model.ResourceTypes {
		names[i] = string(t)
	}
	return names
}
