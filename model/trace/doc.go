// Package trace defines what a simulation run records: a flat, ordered list
// of [Record] values (packets sent, arrived and dropped; congestion-window
// and state changes; HTTP milestones) with encoders to CSV and JSON Lines,
// and a reader of saved traces ([ReadSaved]) so a run can be replayed.
//
// The trace is the single source of truth of a run: the metrics printed by
// `keepalive run`, the CSV rows of a sweep and every mark the terminal UI
// draws are computed from it. It imports only the standard library, so the
// UI can read a trace without linking the simulator.
//
// A run's records are kept, when they are kept, in a [Log] (a slice) or a
// [Store] (64 bytes a record, without pointers, for the terminal UI's
// millions); [Records] reads either.
//
// # Vocabulary
//
// The package holds every word a record carries that a reader acts on, so
// that the model that writes it and the readers that compare it share one
// spelling checked by the compiler: [State] (TCP states, why a window
// changed, what stopped a run, the TLS version, a linear SYN backoff, each
// group valid on its own kinds), [Protocol], and the closed sets of Notes
// and Labels (the Retx* reasons, RecoveryRACK, TLSResumed, ProbeLabel, the
// Growth* rules). Only the words are saved, so the encoded traces do not
// depend on the numbering; reading one refuses a word it does not know,
// naming the line and the allowed words.
//
// # Moments
//
// A lesson's key moments ("the server's idle-timeout FIN", "the request
// that crosses it") are [Moment] values: predicates over the records,
// not times, so that they stay right when the round trip or the loss
// changes. [Find] finds them in a run, [GenericMoments] are those of any
// scenario, and a saved trace's run header keeps a lesson's, so that a
// replay jumps where the live lesson did.
//
// # Index
//
// [Index] follows the records one at a time and keeps the facts that more
// than one reader counts: connections by whose they are (a browser's or a
// proxy's to the origin), their handshake and TLS times and states,
// sockets in TIME-WAIT, TLS handshakes and page outcomes. [Summarizer]
// (and so [Summarize]) and the terminal UI both count from it, and a
// reader that needs a series over time keeps it from the [Step] each
// record gives. Neither the Index nor the Summarizer keeps records or
// anything per packet, so a run whose trace nothing reads is summarized
// on the fly.
package trace
