#!/usr/bin/env bash
# Warm passes of a running agent on run.sh's scale data set (100 images x 10 tags, 1 KiB layers,
# 10 groups): one cold sync writes the checkpoint, then each JVM runs PASSES warm passes in a row
# (RepeatedSync: everything is in place, so a pass reads the state artifacts and diffs 1,000 tags
# against the checkpoint). Several JVMs per build, builds alternating, so that a slower minute of
# the machine falls on both.
#
#   benchmarks/warm-passes.sh [RUNS] [PASSES]       # default 6 JVMs of 40 passes
#   JARS="../before/benchmarks/target/satellite-benchmarks.jar benchmarks/target/satellite-benchmarks.jar" \
#     benchmarks/warm-passes.sh                     # an earlier build's tools beside this one's
#   BENCH_JAVA_OPTS='-XX:+UseSerialGC -Xms8m -Xmx128m' benchmarks/warm-passes.sh
#                                                   # the JVM options bin/satellite starts with
#
# Prints one line per JVM: the median wall time of passes 2-6 (a JVM that has run one pass) and of
# the last 10 passes (compiled by then), and the process's CPU over each; never fails on a number.
# Needs the benchmark tools (mvn -B -q -DskipTests package) and docker-registry.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-6}
passes=${2:-40}
[ "$passes" -ge 16 ] || { echo "warm-passes: PASSES must be at least 16" >&2; exit 2; }
# shellcheck source=benchmarks/loopback.sh
. "$here/loopback.sh"
loopback_distribution warm-passes
loopback_start warm-passes
jars=${JARS:-$tools}

loopback_registry upstream; up=$registry_port
loopback_registry edge; edge=$registry_port
java -cp "$tools" dev.satellite.benchmarks.SeedBenchImages --registry "http://127.0.0.1:$up" \
  --prefix bench/scale --count 100 --tags 10 --base-kib 0 --layers 1 --layer-kib 1 \
  > "$work/scale.txt" 2> "$work/seed.err" || { cat "$work/seed.err" >&2; exit 1; }
groups=()
for g in $(seq 1 10); do
  groups+=(--group "g$g=$(awk -v g="$g" '
    { split($1, rt, ":"); if (!(rt[1] in index_of)) index_of[rt[1]] = repos++ }
    index_of[rt[1]] % 10 == g - 1 { printf "%s%s", sep, $1; sep = "," }' "$work/scale.txt")")
done
state=$(java -cp "$tools" dev.satellite.cli.SatelliteCommand publish-state \
  --registry "http://127.0.0.1:$up" --satellite edge-1 "${groups[@]}" 2>/dev/null)
sync_args=(--state "$state" --destination "http://127.0.0.1:$edge" --checkpoint "$work/checkpoint.json")
java -cp "$tools" dev.satellite.benchmarks.RepeatedSync 1 "${sync_args[@]}" > /dev/null 2> "$work/cold.err" \
  || { tail -n 20 "$work/cold.err" >&2; echo "warm-passes: the cold sync failed" >&2; exit 1; }

echo "java: $(java -version 2>&1 | head -n 1); options: ${BENCH_JAVA_OPTS:-(none)}"
echo "cores: $(nproc); load (1, 5, 15 min): $(cut -d ' ' -f 1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  for jar in $jars; do
    # shellcheck disable=SC2086
    java ${BENCH_JAVA_OPTS:-} -cp "$jar" dev.satellite.benchmarks.RepeatedSync "$passes" \
      "${sync_args[@]}" > "$work/out.json" 2> "$work/err.txt" \
      || { tail -n 20 "$work/err.txt" >&2; echo "warm-passes: a pass failed ($jar)" >&2; exit 1; }
    awk -v run="$run" -v jar="$jar" '
      function median(a, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      }
      {
        match($0, /"passMillis":\[[0-9, ]*\]/); n = split(substr($0, RSTART + 14, RLENGTH - 15), wall, ", *")
        match($0, /"passCpuMillis":\[[0-9, ]*\]/); split(substr($0, RSTART + 17, RLENGTH - 18), cpu, ", *")
        for (i = 2; i <= 6; i++) { early[i - 1] = wall[i]; early_cpu += cpu[i] }
        for (i = n - 9; i <= n; i++) { late[i - n + 10] = wall[i]; late_cpu += cpu[i] }
        printf "run %d %s: passes 2-6 median %d ms (CPU %d ms in all), last 10 median %d ms (CPU %d ms in all)\n",
          run, jar, median(early, 5), early_cpu, median(late, 10), late_cpu
      }' "$work/out.json"
  done
done
