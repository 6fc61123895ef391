#!/usr/bin/env bash
# Memory of a running 'satellite agent' started by the distribution's bin/satellite as shipped:
# resident set size, heap and non-heap after N passes (default 10), on loopback registries
# (CNCF Distribution). The first pass copies a small data set; the later ones find it there.
#
#   benchmarks/agent-memory.sh [PASSES]                  # the launcher's defaults
#   JAVA_OPTS='-XX:TieredStopAtLevel=1' benchmarks/agent-memory.sh   # with more JVM options
#   SATELLITE_JVM_DEFAULTS=off benchmarks/agent-memory.sh            # without the launcher's
#   SATELLITE_TARBALL=../before/satellite-cli/target/satellite-VERSION.tar.gz \
#     benchmarks/agent-memory.sh                      # an earlier build's distribution
#
# Needs the distribution and the benchmark tools (mvn -B -q -DskipTests package), docker-registry
# and curl on PATH. Prints one line per figure, from /proc (VmRSS, VmHWM) and from the agent's own
# /metrics (jvm_memory_*); never fails on a number.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
passes=${1:-10}
# shellcheck source=benchmarks/loopback.sh
. "$here/loopback.sh"
loopback_distribution agent-memory
loopback_start agent-memory

loopback_registry upstream; up_port=$registry_port
loopback_registry edge; edge_port=$registry_port
loopback_registry training; training_port=$registry_port
tar -xzf "$tarball" -C "$work"
satellite="$work/satellite-$version/bin/satellite"
java -cp "$tools" dev.satellite.benchmarks.SeedImages --registry "http://127.0.0.1:$up_port" \
  --count 3 --base-mib 8 --layer-mib 4 > /dev/null 2>&1
state=$("$satellite" publish-state --registry "http://127.0.0.1:$up_port" --satellite edge-1 \
  --group "g1=demo/app1:v1,demo/app2:v1,demo/app3:v1" 2>/dev/null)

# as shipped, the agent starts with the class-data archive that an earlier start wrote: a one-shot
# sync to another edge writes it here (SATELLITE_CDS=off in the environment measures without)
export SATELLITE_CACHE_DIR="$work/cache"
"$satellite" sync --state "$state" --destination "http://127.0.0.1:$training_port" \
  --checkpoint "$work/training.json" > "$work/training.log" 2>&1 \
  || { tail -n 30 "$work/training.log" >&2; echo "agent-memory: the training sync failed" >&2; exit 1; }

metrics_port=$(loopback_free_port)
"$satellite" agent --state "$state" \
  --destination "http://127.0.0.1:$edge_port" --checkpoint "$work/checkpoint.json" \
  --interval 1s --listen "127.0.0.1:$metrics_port" > "$work/agent.log" 2>&1 &
agent=$!
pids+=("$agent")

metric() { # NAME{LABELS}: the sum of the samples of one metric whose line starts so
  curl -sf "http://127.0.0.1:$metrics_port/metrics" \
    | awk -v m="$1" 'index($0, m) == 1 { s += $NF } END { printf "%.0f", s }'
}
done_passes=0
for _ in $(seq 1 $((passes * 20 + 300))); do
  kill -0 "$agent" 2>/dev/null || { tail -n 30 "$work/agent.log" >&2; echo "agent-memory: the agent exited" >&2; exit 1; }
  done_passes=$(metric 'satellite_passes_seconds_count' 2>/dev/null || echo 0)
  [ "${done_passes:-0}" -ge "$passes" ] && break
  sleep 0.2
done
[ "${done_passes:-0}" -ge "$passes" ] || { echo "agent-memory: only $done_passes passes" >&2; exit 1; }

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
kib_line() { awk -v k="$1" '$1 == k ":" { printf "%.1f MiB", $2 / 1024 }' "/proc/$agent/status"; }
echo "passes:               $done_passes"
echo "JVM options:          ${JAVA_OPTS:-(launcher defaults)}${SATELLITE_CDS:+, SATELLITE_CDS=$SATELLITE_CDS}${SATELLITE_JVM_DEFAULTS:+, SATELLITE_JVM_DEFAULTS=$SATELLITE_JVM_DEFAULTS}"
echo "resident (VmRSS):     $(kib_line VmRSS)"
echo "resident peak (VmHWM): $(kib_line VmHWM)"
echo "  of it anonymous:    $(kib_line RssAnon)"
echo "  of it file-backed:  $(kib_line RssFile) (the JVM's libraries and class-data archives, shared)"
echo "heap used:            $(mib "$(metric 'jvm_memory_used_bytes{area="heap"')")"
echo "heap committed:       $(mib "$(metric 'jvm_memory_committed_bytes{area="heap"')")"
echo "non-heap used:        $(mib "$(metric 'jvm_memory_used_bytes{area="nonheap"')")"
echo "non-heap committed:   $(mib "$(metric 'jvm_memory_committed_bytes{area="nonheap"')")"
echo "threads:              $(awk '$1 == "Threads:" { print $2 }' "/proc/$agent/status")"
# with -XX:NativeMemoryTracking=summary among the JVM options: the JVM's own account, by area
if [[ "${JAVA_OPTS:-} ${SATELLITE_OPTS:-}" == *NativeMemoryTracking=summary* ]]; then
  jcmd "$agent" VM.native_memory summary | awk '/^-/ || /^Total/ { sub(/^- */, ""); print "  " $0 }'
fi
