package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestSYNsCarryPortsAndISNs: each SYN records its sender's port and ISN
// and its receiver's port: the client's from Linux's ephemeral range, the
// server's 80, or 443 under TLS; the SYN-ACK answers with the ports
// swapped; only SYNs carry them; and a run of one seed draws the same
// ones every time.
func TestSYNsCarryPortsAndISNs(t *testing.T) {
	for _, tc := range []struct {
		tls  model.TLSVersion
		port uint16
	}{{model.NoTLS, 80}, {model.TLS13, 443}} {
		cfg := memCase(model.HTTP10, tc.tls)
		_, recs := mustRun(t, cfg)
		_, again := mustRun(t, cfg)
		client := map[int]trace.Record{}
		isns := map[uint32]bool{}
		for i, r := range recs {
			if r.Kind != trace.PacketSent {
				continue
			}
			if r.Flags&trace.SYN == 0 {
				if r.Port != 0 || r.PeerPort != 0 || r.ISN != 0 {
					t.Fatalf("a %s packet carries ports %d→%d, ISN %d", r.Flags, r.Port, r.PeerPort, r.ISN)
				}
				continue
			}
			if a := again[i]; a.Port != r.Port || a.ISN != r.ISN {
				t.Fatalf("the same seed drew port %d ISN %d, then %d and %d", r.Port, r.ISN, a.Port, a.ISN)
			}
			isns[r.ISN] = true
			if r.Dir == trace.Up {
				if r.Port < 32768 || r.Port > 60999 || r.PeerPort != tc.port {
					t.Errorf("client SYN: ports %d → %d, want 32768–60999 → %d", r.Port, r.PeerPort, tc.port)
				}
				client[r.Conn] = r
				continue
			}
			if c, ok := client[r.Conn]; !ok || r.Port != c.PeerPort || r.PeerPort != c.Port {
				t.Errorf("SYN-ACK of connection %d: ports %d → %d, want the client's swapped", r.Conn, r.Port, r.PeerPort)
			}
		}
		if len(client) != 12 || len(isns) < 2*len(client)-1 {
			t.Errorf("%d connections, %d distinct ISNs: want 12 and one per SYN", len(client), len(isns))
		}
	}
}
