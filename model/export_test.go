package model

// H1RequestBytes exposes h1RequestBytes to the external tests.
var H1RequestBytes = h1RequestBytes

// H1ResponseBytes exposes h1ResponseBytes to the external tests.
var H1ResponseBytes = h1ResponseBytes

// H1TimeoutBytes exposes h1TimeoutBytes to the external tests.
var H1TimeoutBytes = h1TimeoutBytes
