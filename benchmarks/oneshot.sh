#!/usr/bin/env bash
# A cold one-shot 'satellite sync' as a user runs it, the distribution's bin/satellite as shipped
# (its JVM defaults and its class-data archive, trained by one earlier sync), against 'skopeo sync'
# of the same images, each to a fresh edge, on loopback registries (CNCF Distribution). The data
# set is run.sh's main one: 10 images, a 20 MiB base layer they share and two 10 MiB layers each,
# 220 MiB of distinct blobs, in 2 groups.
#
#   benchmarks/oneshot.sh [RUNS]      # default 5 runs of each tool, alternating
#   BASELINE_TARBALL=../before/satellite-cli/target/satellite-VERSION.tar.gz benchmarks/oneshot.sh
#                                     # an earlier build's distribution too, as its launcher ran it
#
# Prints, per tool, the median and range of the whole process's wall time, its CPU time (user +
# system) and its peak RSS (/usr/bin/time -v); never fails on a number. Needs the distribution and
# the benchmark tools (mvn -B -q -DskipTests package), docker-registry, skopeo and GNU time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-5}
# shellcheck source=benchmarks/loopback.sh
. "$here/loopback.sh"
loopback_distribution oneshot
for tool in skopeo /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "oneshot: needs $tool (apt-get install skopeo time)" >&2; exit 2; }
done
loopback_start oneshot

loopback_registry upstream; up_port=$registry_port
tar -xzf "$tarball" -C "$work"
satellite="$work/satellite-$version/bin/satellite"
before=
if [ -n "${BASELINE_TARBALL:-}" ]; then
  mkdir -p "$work/baseline-dist"
  tar -xzf "$BASELINE_TARBALL" -C "$work/baseline-dist"
  before=$(echo "$work"/baseline-dist/satellite-*/bin/satellite)
  [ -x "$before" ] || { echo "oneshot: no bin/satellite in $BASELINE_TARBALL" >&2; exit 2; }
fi
java -cp "$tools" dev.satellite.benchmarks.SeedBenchImages --registry "http://127.0.0.1:$up_port" \
  --prefix bench/app --count 10 --tags 1 --base-kib 20480 --layers 2 --layer-kib 10240 \
  > "$work/images.txt" 2> "$work/seed.err" || { cat "$work/seed.err" >&2; exit 1; }
groups=()
for g in 1 2; do
  groups+=(--group "g$g=$(awk -v g="$g" 'NR % 2 == g % 2 { printf "%s%s", sep, $1; sep = "," }' "$work/images.txt")")
done
state=$("$satellite" publish-state --registry "http://127.0.0.1:$up_port" --satellite bench \
  "${groups[@]}" 2> "$work/publish.err") || { cat "$work/publish.err" >&2; exit 1; }
{
  echo "127.0.0.1:$up_port:"
  echo "  tls-verify: false"
  echo "  images:"
  awk '{ split($1, rt, ":"); printf "    %s: [%s]\n", rt[1], rt[2] }' "$work/images.txt"
} > "$work/skopeo.yaml"

# as shipped: the first sync on a node writes the class-data archive, later ones start with it
export SATELLITE_CACHE_DIR="$work/cache"
for launcher in "$satellite" $before; do
  loopback_registry "training-$RANDOM"
  "$launcher" sync --state "$state" --destination "http://127.0.0.1:$registry_port" \
    --checkpoint "$work/training-$registry_port.json" > "$work/training.log" 2>&1 \
    || { tail -n 30 "$work/training.log" >&2; echo "oneshot: the training sync failed" >&2; exit 1; }
done

measure() { # NAME COMMAND...: one run; appends "wall_ms cpu_ms rss_kib" to $work/NAME
  local name=$1 start end; shift
  start=$(date +%s%N)
  /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.out" 2>&1 \
    || { tail -n 30 "$work/$name.out" >&2; echo "oneshot: $name failed" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v wall=$(((end - start) / 1000000)) -F': ' '
    /User time/ { cpu += $2 } /System time/ { cpu += $2 } /Maximum resident/ { rss = $2 }
    END { printf "%d %d %d\n", wall, cpu * 1000, rss }' "$work/$name.time" >> "$work/$name"
}
load_start=$(cut -d ' ' -f 1-3 /proc/loadavg)
for run in $(seq 1 "$runs"); do
  loopback_registry "edge-ours-$run"
  measure ours "$satellite" sync --state "$state" \
    --destination "http://127.0.0.1:$registry_port" --checkpoint "$work/checkpoint-$run.json"
  loopback_registry "edge-skopeo-$run"
  measure skopeo skopeo sync --all --src yaml --dest docker --dest-tls-verify=false \
    "$work/skopeo.yaml" "127.0.0.1:$registry_port"
  if [ -n "$before" ]; then
    loopback_registry "edge-before-$run"
    measure before "$before" sync --state "$state" \
      --destination "http://127.0.0.1:$registry_port" --checkpoint "$work/before-$run.json"
  fi
done

column() { # FILE N UNIT: median (min-max) of column N
  awk -v n="$2" '{ print $n }' "$1" | sort -n | awk -v unit="$3" '{ v[NR] = $1 }
    END { printf "%d %s (%d-%d)", v[int((NR + 1) / 2)], unit, v[1], v[NR] }'
}
echo "java: $(java -version 2>&1 | head -n 1); $(skopeo --version); cores: $(nproc)"
echo "load: $load_start at the start, $(cut -d ' ' -f 1-3 /proc/loadavg) at the end; $runs runs each"
for tool in ours ${before:+before} skopeo; do
  case $tool in
    ours) label="bin/satellite sync" ;;
    before) label="earlier build" ;;
    *) label="skopeo sync" ;;
  esac
  printf '%-19s wall %s, CPU %s, peak RSS %s\n' "$label:" "$(column "$work/$tool" 1 ms)" \
    "$(column "$work/$tool" 2 ms)" "$(column "$work/$tool" 3 KiB)"
done
