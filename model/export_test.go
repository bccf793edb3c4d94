package model

// H1RequestBytes exposes h1RequestBytes to the external tests.
var H1RequestBytes = h1RequestBytes
