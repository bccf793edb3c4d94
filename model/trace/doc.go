// Package trace defines what a simulation run records: a flat, ordered list
// of [Record] values (packets sent, arrived and dropped; congestion-window
// and state changes; HTTP milestones) with encoders to CSV and JSON Lines.
//
// The trace is the single source of truth of a run: the metrics printed by
// `keepalive run`, the CSV rows of a sweep and every mark the terminal UI
// draws are computed from it. It imports only the standard library, so the
// UI can read a trace without linking the simulator.
package trace
