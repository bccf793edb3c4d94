module github.com/keepalive-sim/keepalive

go 1.26
