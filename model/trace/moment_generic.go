package trace

// GenericMoments are the key moments of any run, for a scenario that
// declares none of its own: the first handshake, each connection opened
// and each starting to close, the first loss, each timeout (a
// retransmission's, a SYN's, an idle connection's) and each page's
// outcome. In a run of many clients they are the first client's, so
// that n steps through one browser's story rather than a crowd's.
func GenericMoments() []Moment {
	return []Moment{
		{Name: "handshake", Kind: StateChanged, Dir: Up, State: Established, Client: 1, Nth: 1,
			Say: "The first connection is open: its TCP handshake is done"},
		{Kind: StateChanged, Dir: Up, State: SynSent, Client: 1,
			Say: "Connection {conn} opens: its SYN leaves"},
		{Kind: StateChanged, State: FinWait1, Client: 1,
			Say: "Connection {conn} begins to close: the {side} sends the first FIN"},
		{Kind: PacketDropped, Nth: 1,
			Say: "The first packet is lost"},
		{Kind: Retransmit, Note: RetxSynTimeout, Client: 1,
			Say: "No answer to a handshake segment of connection {conn}: the {side} sends it again"},
		{Kind: Retransmit, Note: RetxTimeout, Client: 1,
			Say: "The retransmission timer of connection {conn} ran out: the {side} sends its oldest unacknowledged data again"},
		{Kind: IdleTimeout, Client: 1,
			Say: "The {side} closes connection {conn}: it has been idle too long"},
		{Kind: PageLoaded, Client: 1,
			Say: "Page {page} has loaded"},
		{Kind: PageFailed, Client: 1,
			Say: "Page {page} did not load: a request failed"},
	}
}
