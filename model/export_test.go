package model

// H1RequestBytes exposes h1RequestBytes to the external tests.
var H1RequestBytes = h1RequestBytes

// H1ResponseBytes exposes h1ResponseBytes to the external tests.
var H1ResponseBytes = h1ResponseBytes
