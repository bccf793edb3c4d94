// Package scenarios loads page-load scenarios: YAML files that say what
// to change in [model.DefaultConfig], plus a few built-in ones.
//
// # Overview
//
//   - [Builtin], [Builtins]: the scenarios shipped in the binary
//     (builtin/*.yaml): webpage (the default), textbook, hol-blocking,
//     tls, lossy and the life-cycle lessons.
//   - [Load], [Parse]: read a scenario file. [Resolve] takes what a user
//     typed: a built-in name, else a file path.
//   - [Scenario.YAML]: write a scenario back out with every field given,
//     e.g. to start a new file from a built-in.
//   - [Scenario.With] applies [Setting]s from outside the file (a run
//     flag, a sweep's --set, the terminal UI's form) by writing them into
//     the scenario's YAML and reading it back, so that every route from
//     text to [model.Config] has the file's grammar, ranges and messages.
//     [RunFlags] is the table of run flags: each sets one field.
//   - A lesson's key moments ([Scenario.Moments], the file's moments:
//     list) are trace predicates ([trace.Moment]) that the terminal UI
//     jumps to; the built-ins' sentences are checked against their
//     traces by TestBuiltinMoments.
//   - [Fields] is the table of a file's fields, one row each (path, kind,
//     unit, range, meaning and source): docs/scenarios.md's field tables
//     are generated from it, and the decoder takes each section's allowed
//     keys and its own range checks from it.
//
// A file is a mapping of sections; every field is optional and overrides
// one default. Quantities carry units, as package [units] parses them:
//
//	name: slow-link
//	description: The default page over a slow, lossy link
//	link: {rtt: 300ms, bandwidth: 1.5Mbps, loss: 0.01}
//	http: {protocol: http2}
//	page: {html_size: 20KB, objects: 10, object_size: [10KB, 1MB]}
//
// docs/scenarios.md describes every field with its default, unit,
// allowed range and source.
//
// # Adding a field
//
// A new field is a row of [Fields] (fields_transport.go, fields_session.go),
// its model field, its line in the section's decoder (decode*.go: a value
// reader such as d.duration, or d.count with the row for its range) and
// in the encoder (encode.go). Defaults are never written in the row: they
// are what the encoder writes for model.DefaultConfig(). Then
// "go test ./scenarios -run TestFieldsDoc -update" rewrites the docs'
// tables. The tests in fields_decode_test.go fail until the field is
// decoded, written back and refused beyond its range with a message that
// names it and states the bound; a field with no range, words or yes/no
// needs an example and a bad value there.
//
// # Errors
//
// Every problem with a file is a [*FieldError] naming the file, the line
// and the dotted field ("link.loss", "page.resources[3].parent"), and
// saying what is allowed. Unknown fields are errors, so a typo never
// silently leaves a default in place. The cause stays reachable with
// errors.Is: [model.ErrConfig] for values out of range,
// [units.ErrSyntax] and [units.ErrRange] for quantities,
// [model.ErrUnknownProtocol]. Names that are neither a built-in nor a
// file wrap [ErrUnknownScenario].
package scenarios
