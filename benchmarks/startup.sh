#!/usr/bin/env bash
# Start-up of the distribution's bin/satellite, with and without its class-data sharing archive:
# a warm one-shot 'satellite sync' (the edge already holds every image, the checkpoint is there),
# the whole process timed from the shell, on loopback registries (CNCF Distribution).
#
#   benchmarks/startup.sh [RUNS]      # default 10 runs of each variant, interleaved
#
# Needs the distribution (mvn -B -q -DskipTests package) and docker-registry on PATH. Prints the
# median and the range of each variant in milliseconds; never fails on a number.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-10}
# shellcheck source=benchmarks/loopback.sh
. "$here/loopback.sh"
loopback_distribution startup
loopback_start startup
loopback_registry upstream; up_port=$registry_port
loopback_registry edge; edge_port=$registry_port
tar -xzf "$tarball" -C "$work"
satellite="$work/satellite-$version/bin/satellite"
java -cp "$tools" dev.satellite.benchmarks.SeedImages --registry "http://127.0.0.1:$up_port" \
  --count 3 --base-mib 4 --layer-mib 2 > /dev/null 2>&1
state=$("$satellite" publish-state --registry "http://127.0.0.1:$up_port" --satellite edge-1 \
  --group "g1=demo/app1:v1,demo/app2:v1,demo/app3:v1" 2>/dev/null)
sync=(sync --state "$state" --destination "http://127.0.0.1:$edge_port" --checkpoint "$work/checkpoint.json")
export SATELLITE_CACHE_DIR="$work/cache"
SATELLITE_CDS=off "$satellite" "${sync[@]}" > /dev/null 2>&1          # fills the edge
"$satellite" "${sync[@]}" > /dev/null 2>&1                              # records the archive
"$satellite" "${sync[@]}" > /dev/null 2>&1                              # adopts it (JDK 17, 18)

ms() { local start end; start=$(date +%s%N); "$@" > /dev/null 2>&1; end=$(date +%s%N); echo $(((end - start) / 1000000)); }
off=(); on=()
for _ in $(seq 1 "$runs"); do
  off+=("$(SATELLITE_CDS=off ms "$satellite" "${sync[@]}")")
  on+=("$(ms "$satellite" "${sync[@]}")")
done
summary() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "median %d ms (min %d, max %d, %d runs)", v[int((NR+1)/2)], v[1], v[NR], NR}'; }
echo "java: $(java -version 2>&1 | head -n 1); cores: $(nproc); load: $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "archive: $(du -h "$work"/cache/*.jsa | cut -f 1)"
echo "warm 'satellite sync', without the archive: $(summary "${off[@]}")"
echo "warm 'satellite sync', with the archive:    $(summary "${on[@]}")"
