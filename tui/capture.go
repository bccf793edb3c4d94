package tui

import "fmt"

// writeCapture writes run's packet capture (Lesson.Capture) to dir as
// keepalive-SCENARIO-PROTOCOL.pcap, or -2 and so on if that exists: like
// a screenshot, a capture never replaces a file. It returns what the
// status line says: where it went, or why there is none.
func writeCapture(l *Lesson, run *runIndex, dir string) string {
	if run == nil {
		return "no run to capture"
	}
	if l.Capture == nil {
		return "no capture of a replayed trace (it holds no packet bytes): keepalive run --pcap FILE makes one"
	}
	data, err := l.Capture(run.run.Protocol)
	if err != nil {
		return "no capture: " + err.Error()
	}
	var path string
	err = numbered(dir, captureName(l.Scenario, run.run.Protocol.String()), func(stem string) error {
		path = stem + ".pcap"
		return writeNew(path, data)
	})
	if err != nil {
		return "no capture: " + err.Error()
	}
	return fmt.Sprintf("wrote the %s run's packets as %s: open it in Wireshark", run.run.Protocol, path)
}

// captureName is a capture's file name without extension.
func captureName(scenario, protocol string) string {
	if scenario == "" {
		scenario = "scenario"
	}
	return fileSafe("keepalive-" + scenario + "-" + protocol)
}
