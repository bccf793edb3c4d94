package wire

import "github.com/keepalive-sim/keepalive/model/trace"

// tlsFlight is a handshake flight's bytes.
func tlsFlight(m *trace.Message, seed uint64) ([]byte, error) {
	return make([]byte, m.Size), nil
}

// applicationData is a message's bytes under TLS: records of opaque
// bytes of its size.
func applicationData(m *trace.Message, seed uint64) ([]byte, error) {
	return make([]byte, m.Size), nil
}
