// Package har writes simulated page loads as HAR 1.2 files, and reads
// recorded ones back ([Read]). It writes them (the HTTP
// Archive format of browsers' developer tools: Chrome DevTools' Network
// panel imports them, as do HAR viewers and pagexray), so that a
// simulated load can be read with the tools people already use on real
// ones.
//
// Each protocol's run gives one HAR page per page it loaded (its first
// client's, with several clients), and one entry per request that
// finished; an entry's timings are the DevTools phases of the run's
// trace ([trace.ResourceTiming]), exact to the nanosecond:
//
//	blocked  queued to SYN (or to the request, on a reused connection),
//	         plus any wait between the handshake's end and the request
//	dns      the lookup the request's connection waited for (dns.enabled);
//	         -1 without one
//	connect  SYN to the end of the TCP handshake, TLS included (HAR 1.2
//	         counts ssl inside connect); -1 on a reused connection. A
//	         connection opened before the request was queued (for another
//	         request) counts from the queueing on, so no phase is negative
//	ssl      the TLS handshake; -1 without one
//	send     0: the model writes a request at one instant
//	wait     request sent to the response's first byte
//	receive  first byte to last byte
//
// so that blocked+dns+connect+send+wait+receive is the entry's time. The
// simulation has no wall clock and no addresses: times are virtual time
// after [Epoch], and an entry's serverIPAddress is its server's
// documentation address (trace.ServerAddress; [ServerIP] for the main
// host's).
//
// [Read] takes a HAR 1.1 or 1.2 file from browsers' and tools' exports
// (Chrome, Firefox, WebPageTest, sitespeed.io's chrome-har, Fiddler)
// as a [Recording]: its pages, each with its entries in start order,
// every parent before its children. Each [RecordedEntry] has its
// origin, resource type, body size ([SizeOf]), timings, connection,
// normalised HTTP version ([NormalizeVersion]) and parent (its
// initiator, its redirect, else the document; [ParentByTiming] for the
// timing rule). [EstimateLink] estimates the link's RTT and bandwidth
// from a page, and [RecordedPage.Recorded] is what the recording
// measured, to compare with simulated rows. [RecordedPage.Simulate]
// turns a page into the model's configuration (its hosts as origins,
// think times, DNS), listing the entries it cannot simulate, for
// "keepalive run --har". docs/har.md has the rules.
//
// The package reads the model and its trace, never the terminal UI.
package har
