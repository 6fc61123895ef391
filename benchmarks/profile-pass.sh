#!/usr/bin/env bash
# Where the CPU of a cold pass goes inside a JVM that has already run one (an agent given new
# images): one upstream registry seeded with the main data set of run.sh (10 images, a 20 MiB
# base layer they share and two 10 MiB layers of their own), then RepeatedSync runs 1 + PASSES
# cold syncs in one JVM, each to a fresh edge, with a flight recording (settings=profile) over
# every pass but the first; benchmarks/cpu-breakdown.sh charges its CPU to components.
#
#   benchmarks/profile-pass.sh [PASSES]     # default 3 recorded passes
#   BENCH_JAVA_OPTS='-XX:+UseSerialGC' benchmarks/profile-pass.sh
#
# Needs the benchmark tools and the distribution (mvn -B -q -DskipTests package), docker-registry
# and jfr on PATH. Prints the passes' times, the CPU by kind of thread, each registry's CPU over
# the recorded passes, and the breakdown table; never fails on a number.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
passes=${1:-3}
# shellcheck source=benchmarks/loopback.sh
. "$here/loopback.sh"
loopback_distribution profile-pass
loopback_start profile-pass

cpu_ms() { # PID: user + system CPU time of a process so far, in ms (clock ticks of 10 ms)
  awk '{ sub(/^.*\) /, ""); print ($12 + $13) * 10 }' "/proc/$1/stat"
}

loopback_registry upstream; up_port=$registry_port; up_pid=${pids[-1]}
edges=() edge_pids=()
for pass in $(seq 0 "$passes"); do
  loopback_registry "edge-$pass"; edges+=("http://127.0.0.1:$registry_port"); edge_pids+=("${pids[-1]}")
done
java -cp "$tools" dev.satellite.benchmarks.SeedBenchImages --registry "http://127.0.0.1:$up_port" \
  --prefix bench/app --count 10 --tags 1 --base-kib $((20 * 1024)) --layers 2 \
  --layer-kib $((10 * 1024)) > "$work/main.txt"
groups=()
for g in 1 2; do
  groups+=(--group "g$g=$(awk -v g="$g" 'NR % 2 == g - 1 { printf "%s%s", s, $1; s = "," }' "$work/main.txt")")
done
state=$(java -cp "$tools" dev.satellite.cli.SatelliteCommand publish-state \
  --registry "http://127.0.0.1:$up_port" --satellite edge-1 "${groups[@]}" 2>/dev/null)

up_before=$(cpu_ms "$up_pid")
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} -cp "$tools" dev.satellite.benchmarks.RepeatedSync $((passes + 1)) \
  --fresh-edges "$(IFS=,; echo "${edges[*]:1}")" --jfr "$work/passes.jfr" --state "$state" \
  --destination "${edges[0]}" --checkpoint "$work/checkpoint.json" > "$work/out.json" \
  2> "$work/err.txt" || { tail -n 30 "$work/err.txt" >&2; echo "profile-pass: a pass failed" >&2; exit 1; }
up_ms=$(( $(cpu_ms "$up_pid") - up_before ))
edge_ms=0
for pid in "${edge_pids[@]:1}"; do edge_ms=$(( edge_ms + $(cpu_ms "$pid") )); done

out=$(cat "$work/out.json")
field() { echo "$out" | grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2; }
process=$(field process)
echo "java: $(java -version 2>&1 | head -n 1); options: ${BENCH_JAVA_OPTS:-(none)}"
echo "cores: $(nproc); load (1, 5, 15 min): $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "passes: $out"
echo "recorded passes: $passes, process CPU $process ms ($((process / passes)) ms a pass); the"
echo "upstream registry used ~$((up_ms * passes / (passes + 1))) ms of CPU over them (its total"
echo "$up_ms ms over $((passes + 1)) passes, pro rata), the edges $edge_ms ms"
echo
"$here/cpu-breakdown.sh" "$work/passes.jfr" "$process" "$(field compiler)" "$(field gc)" \
  "$(field vm)" "$(field jfr)" "$(field applicationKernel)"
