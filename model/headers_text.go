package model

import "strings"

// HeaderField is one HTTP header field as the simulated browser and server
// send it, its name in lower case as HTTP/2 writes it (RFC 9113 §8.2.1).
type HeaderField struct{ Name, Value string }

// RequestFields are the header fields the browser sends for r to host,
// besides the request line (or HTTP/2's pseudo-header fields) and the
// Connection field of HTTP/1.x: the fields whose bytes the model counts,
// for a real client that must send the same.
func RequestFields(host string, r *Resource) []HeaderField {
	var buf [maxFields]field
	return exported(requestFields(buf[:0], host, "", r, spelled))
}

// ResponseFields are the header fields the server sends with r's body,
// besides the status line and HTTP/1.x's Connection field.
func ResponseFields(r *Resource) []HeaderField {
	var buf [maxFields]field
	return exported(responseFields(buf[:0], r, spelled))
}

func exported(fs []field) []HeaderField {
	out := make([]HeaderField, len(fs))
	for i, f := range fs {
		out[i] = HeaderField{f.name, f.value}
	}
	return out
}

// H1RequestHead is the HTTP/1.x request head for r, byte for byte as the
// model counts it (RFC 9112 §3): version "1.0" or "1.1", and a Connection
// field for keep-alive or, in HTTP/1.1, for close.
func H1RequestHead(host string, r *Resource, version string, keepAlive bool) string {
	var b strings.Builder
	b.WriteString("GET " + r.Path + " HTTP/" + version + "\r\n")
	for _, f := range RequestFields(host, r) {
		b.WriteString(f.Name + ": " + f.Value + "\r\n")
	}
	if keepAlive {
		b.WriteString("connection: keep-alive\r\n")
	} else if version == "1.1" {
		b.WriteString("connection: close\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// H1ResponseHead is the HTTP/1.x response head for r, byte for byte as
// the model counts it (RFC 9112 §4): version "1.0" or "1.1", "200 OK",
// the fields, and Connection: keep-alive or close.
func H1ResponseHead(r *Resource, version string, keepAlive bool) string {
	var b strings.Builder
	b.WriteString("HTTP/" + version + " 200 OK\r\n")
	for _, f := range ResponseFields(r) {
		b.WriteString(f.Name + ": " + f.Value + "\r\n")
	}
	if keepAlive {
		b.WriteString("connection: keep-alive\r\n")
	} else {
		b.WriteString("connection: close\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// H1TimeoutText is the "408 Request Timeout" a server may send before it
// closes an idle connection (RFC 9110 §15.5.9), byte for byte as the
// model counts it.
func H1TimeoutText() string {
	return "HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\ndate: " + dateValue + "\r\nserver: " + serverName + "\r\n\r\n"
}

// H1TimeoutLabel is the label of the packet that begins a 408.
const H1TimeoutLabel = "408 Request Timeout"
