// Package tui is keepalive's full-screen terminal UI. It replays the
// recorded traces of finished page loads; it never runs the simulator. A
// [Source] (implemented by cmd/keepalive) turns a scenario and [Params]
// into a [Lesson]: one [Run] of recorded [trace.Record] values per HTTP
// protocol. [Main] shows it until the user quits.
//
// # Overview
//
//   - Four views share one playhead (a [Player]): a ladder (sequence)
//     diagram of every packet, a DevTools-style waterfall of the page's
//     resources (or, with c, one row per TCP connection), the server's
//     congestion window over time, and the four protocols side by side.
//     Each ends with a legend of what it draws.
//   - The ladder has a lane per host (client and server; browser, proxy
//     and origin), zooms with z and Z, and shows the whole run with w,
//     each stretch with no packet on the wire collapsed into one row.
//   - An explanation line says in plain words what the event at the
//     playhead means ([Explain]), with running counters: connections
//     opened, handshakes, TLS handshakes, round trips spent.
//   - An event list (l) shows the records around the playhead, one a
//     line, and moves the playhead through them; a packet inspector
//     (Enter) shows one packet's fields by layer and its fate, as the
//     trace records them.
//   - Space plays and pauses, ← and → step from event to event, + and −
//     change the speed from 1/1000 of real time to real time.
//   - n and N jump to the lesson's key moments and pause there: the
//     [Lesson]'s [trace.Moment] predicates (or [trace.GenericMoments]),
//     found in each run when it is loaded; the explanation line tells
//     the moment's sentence, and a time axis of the whole run under the
//     view marks them. g goes to a typed time. The UI opens paused on
//     the first moment, so that a teacher decides when it plays.
//
// # Honesty
//
// Every mark on screen is computed from the records of a run (and the
// lesson's parameters, shown in the header). Each view draws as a pure
// function of the records, the playhead and its rectangle, so any frame
// can be reproduced in a test: see the golden files in testdata. What the
// counters count (connections, the browser's and a proxy's to the origin
// apart, handshakes, TLS, resources, page facts) is read from a
// [trace.Index], the one trace.Summarize counts with, so the UI and
// `keepalive run` cannot disagree; the UI's own index keeps only the
// series the playhead looks up.
//
// # Dependencies
//
// tui imports model/trace and no other package of this module (a test
// enforces it), plus tview and tcell/v2.
package tui
