package cli

const sweepUsage = `Usage: keepalive sweep [flags] --vary NAME=VALUES [--vary NAME=VALUES ...]

Runs a batch of page loads: every combination of the varied values (the
grid), every protocol at each grid point, each --replicates times, and
writes one CSV row per page load, in a fixed order whatever --jobs is.
Order: as in "keepalive run": the textbook's assumptions if --ideal (given
or varied), then the scenario's own fields, then every other setting.
docs/batch.md describes the file formats, with pandas and R examples.

Grid:
  --vary NAME=VALUES      a parameter and its values; repeat the flag for a
                          grid (the first --vary is the outermost loop).
                          NAME is a flag of "keepalive run" (rtt, bandwidth,
                          loss, mss, iw, parallel, tls, tls-resume, ideal,
                          objects, object-size, html-size, protocol) or a
                          scenario field section.key (link.queue,
                          link.buffer, tcp.initial_window, tcp.min_rto,
                          tcp.delayed_ack, http.parallel, proxy.link.rtt,
                          ...; see docs/scenarios.md). VALUES is a
                          comma-separated list of values and ranges,
                          written with units as in a scenario file:
                            rtt=10ms,50ms,100ms
                            rtt=10ms..100ms/step:10ms   linear, inclusive
                            bandwidth=1Mbps..100Mbps/log:6
                                                  6 points, log-spaced
                                                  (rounded to whole bit/s,
                                                  ns, bytes)
                            objects=10..100/step:10
                            link.queue=fifo,fair
  --protocol LIST         protocols run at every grid point, in this order:
                          http1.0, http1.1, http1.1-pipelined, http2, http3,
                          or all, the four over TCP (the default, unless the
                          scenario's protocols field names others); or
                          --vary protocol=LIST
  --replicates N          runs of each grid point and protocol, ≥ 1;
                          default 1. Replicate r uses seed S+r (S: --seed),
                          the same for every protocol, so protocols are
                          compared on the same random draws
  --seed N                seed of replicate 0; default the scenario's (1)
  --set FIELD=VALUE       a fixed scenario field, e.g. --set tcp.min_rto=200ms;
                          repeatable
  --shard K/N             run only the K-th of N slices: the runs i with
                          i mod N = K-1 (1 ≤ K ≤ N); recombine the slices
                          with "keepalive merge"

Fixed settings, as in "keepalive run" (see keepalive help run):
  --scenario NAME|FILE    a built-in scenario or a YAML file; default webpage
  --har FILE              a page recorded as HAR 1.2 instead of a scenario, as
                          in "keepalive run --har" (the link estimated from
                          it unless rtt or bandwidth is set or varied; no
                          row "recorded" in a sweep); not with --scenario
                          or a page setting. tls and tls-resume set or varied
                          reach the main host only; --tls reaches every host
  --har-page N            the page of the HAR, from 1; default 1
  --ideal                 the textbook's assumptions
  --rtt DURATION          e.g. 100ms
  --bandwidth RATE        e.g. 10Mbps
  --loss P                e.g. 0.01 or 1%
  --mss BYTES             e.g. 1460
  --iw SEGMENTS           e.g. 10, or unlimited
  --parallel N            e.g. 6
  --tls none|1.2|1.3
  --tls-resume
  --html-size SIZE        any of these three replaces the page with a base
  --objects N             document and N images, the others taking their
  --object-size LIST      defaults (20KB, 10 objects, 10KB)

Running and output:
  --jobs N                workers running page loads in parallel, ≥ 1;
                          default the number of CPUs
  --out FILE              the tidy CSV; default standard output. Rows are
                          appended as they complete, whole rows only
  --resume                continue an interrupted sweep in --out: checks the
                          header and every row's run, settings and sweep id
                          (not its measured values) against this sweep,
                          drops a partial last line, appends the missing rows
  --force                 start again in an --out that already holds a
                          sweep, and replace an existing --pages file or
                          --pcap capture (without it, or --resume, that is
                          refused)
  --pages FILE            one row per page load of every run, as "keepalive
                          run --pages" writes, after run, runs_total, the
                          parameters, replicate and sweep (join it to
                          --out on run). Streamed to a temporary file and
                          put in place when the sweep is complete; an
                          existing file needs --force. With --resume the
                          rows already in --out are run again for their
                          pages, and an existing --pages file must be
                          this sweep's
  --summary FILE          per grid point, protocol and metric: n, mean, sd,
                          ci95_low, ci95_high (Student t), median, p5, p95
  --plot FILE             a chart, .png, .svg or .pdf: the mean of --y
                          against --x, one line per --by group, with 95%
                          confidence bars when there are replicates
  --x NAME                column on the x axis, a parameter by name (rtt)
                          or column (vary.rtt_ms); default the first --vary
  --y METRIC              column on the y axis; default page_load_ms
  --by LIST               columns that make the lines; default protocol.
                          Every other varied parameter must be listed here
                          or have one value
  --logx                  log x axis; default: when --x was a /log: range
  --title TEXT            the chart's title; default made from the axes
  --pcap FILE             the packet capture of the rows --pcap-run names,
                          as "keepalive run --pcap" writes it (Wireshark,
                          tshark; docs/pcap.md): each run made again after
                          the sweep, which gives the row's very run. FILE
                          for one run, else NAME.runN.EXT (FILE's name and
                          extension); an existing one needs --force, or
                          --resume, which writes it again
  --pcap-run LIST         the rows to capture, by their run column (from
                          0): --pcap-run 3, --pcap-run 0,7
  --pcap-at POINT         client (default), server, proxy (a scenario with
                          a proxy: both hops at it) or both (a file each,
                          NAME[.runN].client.EXT and .server.EXT)
The summary, chart, pages file and captures are written whole at the end, or
not at all. Each CSV gets its provenance beside it, as FILE.meta.json.

CSV columns: run (canonical index from 0), runs_total, one column per
--vary, replicate (from 0), sweep (the sweep's id), then every column of
"keepalive run --format csv". Rows are in canonical order: grid order, then
protocol, then replicate. A parameter's column is vary.NAME (NAME: its run
flag with _ for -, else its scenario field) with its unit, one per column
whatever units were typed: durations in ms as vary.NAME_ms (vary.rtt_ms,
vary.tcp.min_rto_ms), rates in Mbit/s as vary.NAME_mbps, sizes in bytes as
vary.NAME_bytes (vary.object_size_bytes), probabilities as fractions
(vary.loss: 1% is 0.01), counts as whole numbers (vary.iw), booleans
true/false, words as given (vary.tls, vary.link.queue); unlimited (and
auto, path) is an empty cell. Older versions wrote the values as typed
(rtt: 50ms): such files cannot be resumed or merged (docs/batch.md).

Progress (runs done, runs/s, time left) is shown on standard error when it
is a terminal. Ctrl-C stops cleanly: the rows written so far are complete
and in order, the exit status is 130, and the message gives the command
to finish the sweep with --resume.

Examples:
  keepalive sweep --vary rtt=10ms,50ms,100ms,200ms,400ms --out rtt.csv
  keepalive sweep --vary rtt=10ms..400ms/step:30ms --replicates 30 \
      --loss 0.01 --out rtt.csv --summary rtt-summary.csv --plot rtt.png
  keepalive sweep --vary bandwidth=1Mbps..100Mbps/log:6 \
      --vary protocol=http1.1,http2 --plot bw.svg --x bandwidth --by protocol
  keepalive sweep --objects 50 --vary link.queue=fifo,fair \
      --vary http.parallel=1,2,6 --out queue.csv
  keepalive sweep --vary loss=0,0.01,0.02 --replicates 100 --shard 3/10 \
      --out shard-3.csv
  keepalive sweep --vary loss=0,0.01,0.02 --replicates 100 --out all.csv \
      --resume
  keepalive sweep --vary loss=0,0.02 --protocol http2 --out loss.csv \
      --pcap lossy-row.pcap --pcap-run 1
`

const plotUsage = `Usage: keepalive plot FILE.csv --out CHART [flags]

Draws a chart from a tidy CSV (of keepalive sweep, keepalive merge, or
keepalive run --format csv), as "keepalive sweep --plot" does: the mean of
--y against --x, one line per --by group, error bars of the 95% confidence
interval of the mean (Student t) where a point has several rows. A last
line without its newline (a sweep still running) is left out.

  --out FILE              the chart: .png, .svg or .pdf (by extension)
  --x NAME                column on the x axis: a varied parameter, by
                          name (rtt) or column (vary.rtt_ms), or any
                          numeric column; default the first varied
                          parameter. Durations are drawn in ms, rates in
                          Mbit/s, sizes in KB, probabilities in %; words
                          (fifo, fair) as categories
  --y METRIC              column on the y axis; default page_load_ms
                          (others: ttfb_ms, tcp_connections, tls_handshakes,
                          packets, wire_bytes, retransmissions, drops,
                          complete)
  --by LIST               comma-separated columns that make the lines;
                          default protocol. Every other varied parameter
                          must be listed here or have one value
  --logx                  log x axis; default when the x values are equally
                          spaced on a log scale (--logx=false: linear)
  --title TEXT            the chart's title; default made from the axes

Examples:
  keepalive plot results.csv --x rtt --y page_load_ms --by protocol \
      --out plt.png
  keepalive plot results.csv --x bandwidth --y tcp_connections --out bw.svg
  keepalive plot results.csv --x rtt --by protocol,loss --out rtt-loss.pdf
`

const mergeUsage = `Usage: keepalive merge FILE.csv... [--out FILE] [--summary FILE]

Recombines the CSVs of a sharded sweep (keepalive sweep --shard K/N) into
the CSV the whole sweep would have written, byte for byte: rows sorted by
their run column. The files must share one header, and every run from 0 to
runs_total-1 must appear exactly once; otherwise merge names the problem
(a missing or unfinished shard, a shard given twice, shards of different
sweeps) and exits with status 2, writing nothing.

  --out FILE              the merged CSV, written whole or not at all;
                          default standard output
  --summary FILE          also write the summary, as keepalive sweep
                          --summary does

Examples:
  keepalive merge shard-*.csv --out results.csv
  keepalive merge shard-*.csv --out results.csv --summary summary.csv
`
