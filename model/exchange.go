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

	// req and resp hold the request's and the response's head messages,
	// saving two allocations a request.
	req, resp heldMessage
}

// heldMessage is room for one message inside the struct that owns it. An
// exchange is sent once (a retry is a new exchange) and answered once,
// but should one be written twice, the second message is allocated: the
// first may still be queued when the next is made.
type heldMessage struct {
	m    message
	used bool
}

// hold returns m, in the room if it is free.
func (h *heldMessage) hold(m message) *message {
	if h.used {
		p := new(message) // not &m, which would put every m on the heap
		*p = m
		return p
	}
	h.used, h.m = true, m
	return &h.m
}
