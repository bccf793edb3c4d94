package model

// exchange is one attempt at a request and its response. A retried request
// gets a new exchange; the old one is marked dead so that nothing arriving
// late for it counts.
type exchange struct {
	id       int // resource index within its page, from 0
	rid      int // resource id in the trace: unique in the run, from 1
	page     int // page index, from 0
	res      *Resource
	sess     *session
	stream   uint32 // HTTP/2 stream id
	attempts int    // sends before this one
	dead     bool
	// relay, at a proxy's pool, hands the response to the browser's
	// hop; why is not empty if the pool gave up on it.
	relay func(why string)

	// badGateway, at the browser, says why the proxy gave up on the
	// origin: its response is then a 502 Bad Gateway, not the resource.
	badGateway string

	// response progress at the browser
	bodyGot int
	started bool
	done    bool

	// server side
	ready      bool // think time over
	respHead   int  // the response head's bytes (message.headBytes), for the FirstByte record
	headSent   bool // HTTP/2 HEADERS written
	bodySent   int  // HTTP/2 DATA bytes written
	sendWindow int64
}
