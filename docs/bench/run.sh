#!/usr/bin/env bash
# docs/bench/run.sh: the same page loads and transfers in ns-3 and in
# keepalive, timed side by side (docs/bench/README.md).
#
#   docs/bench/run.sh                 # 5 rounds
#   ROUNDS=9 SCALE=2 docs/bench/run.sh
#
# It installs ns-3 from Debian if it is missing (apt-get; root or sudo),
# builds docs/bench/ns3/pageload.cc with g++ and docs/bench/keepalive with
# go, then runs the two INTERLEAVED: in each round, for each case, one
# process of each simulator, the order alternating from round to round,
# so that a machine that slows down or speeds up mid-run affects both
# alike. Each process runs its case many times (the runs below, times
# SCALE) so that process start is a small part of its CPU time; the CPU
# time (user + system, every thread) of each process is taken from the
# shell's `times` and divided by the packets it simulated. The table
# gives the median over the rounds, and the range.
#
# Environment: ROUNDS (5), SCALE (1; 0.1 for a quick try), BUILD (where the binaries go;
# default $TMPDIR/keepalive-ns3-bench), CASES ("page 1MB 10MB").
#
# Not part of CI, and go test does not run it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-${TMPDIR:-/tmp}/keepalive-ns3-bench}
rounds=${ROUNDS:-5}
scale=${SCALE:-1}
cases=${CASES:-page 1MB 10MB}
mkdir -p "$build"

# Runs per process, chosen so that each process takes 1–3 s of CPU on the
# 2-core VM of the README; keepalive does 10–30 times as many in the time.
declare -A runs=(
	[ns-3/page]=150 [ns-3/1MB]=120 [ns-3/10MB]=6
	[keepalive/page]=2000 [keepalive/1MB]=2500 [keepalive/10MB]=150
)

say() { printf '%s\n' "$*" >&2; }

# 1. ns-3 3.37 from Debian (bookworm): the libraries and their headers.
if [ ! -e /usr/include/ns3/core-module.h ] || ! pkg-config --exists ns3-core 2>/dev/null; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	say "installing ns-3 from Debian (apt-get install ns3 libns3-dev)"
	$sudo apt-get update -q
	$sudo apt-get install -y -q ns3 libns3-dev
fi

# 2. The ns-3 program. Debian's .pc files (3.37-2) are not usable as they
# are: their Cflags hold "-I/usr;" and their Libs name libgsl.so and
# libgslcblas.so, which only libgsl-dev installs (the ns-3 libraries link
# libgsl themselves). Keep the -l flags and the directories and files that
# exist.
mods="ns3-core ns3-network ns3-internet ns3-point-to-point ns3-traffic-control"
flags=()
declare -A seen=()
for f in $(pkg-config --cflags --libs $mods); do
	[ -n "${seen[$f]:-}" ] && continue
	seen[$f]=1
	case $f in
	-l*) flags+=("$f") ;;
	-I* | -L*) [ -d "${f:2}" ] && flags+=("$f") ;;
	/*) [ -e "$f" ] && flags+=("$f") ;;
	esac
done
ns3bin=$build/pageload
if [ ! -x "$ns3bin" ] || [ "$here/ns3/pageload.cc" -nt "$ns3bin" ]; then
	say "building $ns3bin (g++ -O2, ns-3 $(pkg-config --modversion ns3-core))"
	g++ -O2 -std=c++17 -o "$ns3bin" "$here/ns3/pageload.cc" "${flags[@]}"
fi

# 3. The keepalive program.
kabin=$build/keepalive-bench
say "building $kabin ($(go version))"
(cd "$root" && go build -o "$kabin" ./docs/bench/keepalive)

# The request and response head sizes keepalive's model counts, for ns-3
# to send the same bytes.
declare -A heads=()
for c in $cases; do
	heads[$c]=$("$kabin" -case "$c" -heads)
done

# cpu CMD...: runs CMD with its standard output to $out, and prints the
# user + system seconds it used (bash's times: the subshell's children).
out=$build/out.txt
cpu() {
	local t
	t=$( {
		if ! "$@" >"$out"; then
			say "failed: $*"
			exit 1
		fi
		times
	} | tail -n 1)
	awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); s += a[1] * 60 + a[2] } printf "%.3f\n", s }' <<<"$t"
}

field() { tr ' ' '\n' <"$out" | sed -n "s/^$1=//p"; }

run() { # sim case n
	case $1 in
	ns-3) cpu "$ns3bin" --case="$2" --runs="$3" ${heads[$2]} ;;
	keepalive) cpu "$kabin" -case "$2" -runs "$3" ;;
	esac
}

say "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"

# Process start alone (0 runs), three times each, for the README.
for sim in ns-3 keepalive; do
	s=""
	for _ in 1 2 3; do s="$s $(run "$sim" page 0)"; done
	say "process start, $sim: CPU$s s"
done

results=$build/results.txt
: >"$results"
for ((r = 1; r <= rounds; r++)); do
	for c in $cases; do
		order="ns-3 keepalive"
		((r % 2 == 0)) && order="keepalive ns-3"
		for sim in $order; do
			n=$(awk -v n="${runs[$sim/$c]}" -v s="$scale" 'BEGIN { n = int(n * s + 0.5); print (n < 1) ? 1 : n }')
			t=$(run "$sim" "$c" "$n")
			echo "$c $sim $r $t $n $(field load_ms) $(field packets) $(field drops) $(field events)" >>"$results"
			say "round $r/$rounds $c $sim: $n runs, $t s CPU; $(cat "$out")"
		done
	done
done

# The table: medians over the rounds of CPU per packet.
echo
echo "| case | simulator | sim-time result | packets per run (drops) | events per run | CPU per packet, median (range) | packets per CPU-second |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for c in $cases; do
	for sim in ns-3 keepalive; do
		row=$(awk -v c="$c" -v s="$sim" '$1 == c && $2 == s { printf "%.1f %s %s %s %s\n", $4 * 1e9 / ($5 * $7), $6, $7, $8, $9 }' "$results" |
			sort -n | awk -v c="$c" -v s="$sim" '
				{ v[NR] = $1; load = $2; pk = $3; dr = $4; ev = $5 }
				END {
					m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
					what = (c == "page") ? "page load" : "transfer"
					printf "| %s | %s | %s %.1f ms | %d (%d) | %d | %.0f ns (%.0f–%.0f) | %.0f k |\n",
						c, s, what, load, pk, dr, ev, m, v[1], v[NR], 1e6 / m
				}')
		echo "$row"
	done
done

# The ratio within each round, where both ran on the machine as it was
# then: steadier than the ratio of the medians when the machine drifts.
echo
for c in $cases; do
	awk -v c="$c" '$1 == c { ns[$2 "/" $3] = $4 * 1e9 / ($5 * $7); r[$3] = 1 }
		END {
			n = 0
			for (i in r) if (("ns-3/" i) in ns && ("keepalive/" i) in ns) v[++n] = ns["ns-3/" i] / ns["keepalive/" i]
			for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%s: ns-3 takes %.1f times the CPU per packet keepalive takes (median of %d rounds; %.1f–%.1f)\n", c, m, n, v[1], v[n]
		}' "$results"
done
