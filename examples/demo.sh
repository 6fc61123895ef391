#!/usr/bin/env bash
# The one-command demo of satellite-java, on loopback, with the distribution's bin/satellite:
#   1. builds and unpacks the distribution (the build is skipped when it is there and
#      SATELLITE_DEMO_NO_BUILD=1);
#   2. starts two real registries (CNCF Distribution) serving HTTPS: an upstream and an edge, each
#      with a certificate of its own CA made for this run, each trusted only for its own side;
#   3. pushes demo images with a shared base layer upstream and publishes the satellite state;
#   4. runs the agent, kills it with SIGKILL in the middle of its first pass, restarts it, and
#      shows that the restart copies only what the killed run had not finished;
#   5. moves a tag and removes an image upstream, and shows the edge following.
# Every process it starts is stopped on exit, Ctrl-C or failure.
# Sizes: DEMO_IMAGES (default 6), DEMO_BASE_MIB (32), DEMO_LAYER_MIB (48).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# the project's version, as the build names the distribution
version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$root/satellite-bom/pom.xml" | head -n 1)
tarball="$root/satellite-cli/target/satellite-$version.tar.gz"
tools="$root/benchmarks/target/satellite-benchmarks.jar"
images=${DEMO_IMAGES:-6}
base_mib=${DEMO_BASE_MIB:-32}
layer_mib=${DEMO_LAYER_MIB:-48}
work=$(mktemp -d "${TMPDIR:-/tmp}/satellite-demo.XXXXXX")
pids=()

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CNCF Distribution for the registries, openssl for their certificates
missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "demo: needs ${missing[*]}; install with: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi

if [ ! -f "$tarball" ] || [ ! -f "$tools" ] || [ "${SATELLITE_DEMO_NO_BUILD:-0}" != 1 ]; then
  say "building the distribution"
  (cd "$root" && mvn -B -q -DskipTests package)
fi
tar -xzf "$tarball" -C "$work"
satellite="$work/satellite-$version/bin/satellite"
# the class-data sharing archive of this run's distribution stays in the run's directory
export SATELLITE_CACHE_DIR="$work/cache"

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "demo: no free loopback port found" >&2; exit 1
}

# A CA of its own for a registry, and a server certificate for 127.0.0.1 signed by it.
make_certificates() { # dir name
  local dir=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=$2 demo CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
}

start_registry() { # name port
  local dir="$work/$1"
  mkdir -p "$dir/storage"
  make_certificates "$dir" "$1"
  cat > "$dir/config.yml" <<YML
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
  tls:
    certificate: $dir/server.pem
    key: $dir/server.key
YML
  docker-registry serve "$dir/config.yml" > "$dir/registry.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return; fi
    sleep 0.1
  done
  echo "demo: registry $1 did not start; log:" >&2; cat "$dir/registry.log" >&2; exit 1
}

# Image blob bytes the upstream has served: sum of the sizes of its blob GET responses, leaving out
# the state artifacts (repositories under satellite/).
upstream_blob_bytes() {
  awk '/response completed/ && /http.request.method=GET/ && /\/blobs\/sha256:/ && !/uri="\/v2\/satellite\// {
         for (i = 1; i <= NF; i++) if ($i ~ /^http.response.written=/) { split($i, kv, "="); s += kv[2] }
       } END { print s + 0 }' "$work/upstream/registry.log"
}

seed() { java -cp "$tools" dev.satellite.benchmarks.SeedImages --ca "$work/upstream/ca.pem" "$@"; }
publish() { "$satellite" publish-state --registry-ca "$work/upstream/ca.pem" "$@"; }
sync_once() {
  "$satellite" sync --state "$state" --source-ca "$work/upstream/ca.pem" \
    --destination "$edge" --destination-ca "$work/edge/ca.pem" --checkpoint "$checkpoint" "$@"
}

up_port=$(free_port); edge_port=$(free_port)
upstream="https://127.0.0.1:$up_port"; edge="https://127.0.0.1:$edge_port"
say "starting registries: upstream $upstream, edge $edge"
start_registry upstream "$up_port"
start_registry edge "$edge_port"

say "pushing $images images upstream (shared ${base_mib} MiB base layer + ${layer_mib} MiB each)"
seed --registry "$upstream" --count "$images" \
  --base-mib "$base_mib" --layer-mib "$layer_mib"

half=$(( (images + 1) / 2 ))
g1=""; g2=""
for i in $(seq 1 "$images"); do
  if [ "$i" -le "$half" ]; then g1="${g1:+$g1,}demo/app$i:v1"; else g2="${g2:+$g2,}demo/app$i:v1"; fi
done
echo '{"sync_interval":"2s","log_level":"info"}' > "$work/config.json"
say "publishing the satellite state (groups g1, g2, config)"
state=$(publish --registry "$upstream" --satellite edge-1 \
  --group "g1=$g1" --group "g2=$g2" --config "$work/config.json")
echo "satellite state: $state"

checkpoint="$work/checkpoint.json"
agent=("$satellite" agent --state "$state" --source-ca "$work/upstream/ca.pem" \
  --destination "$edge" --destination-ca "$work/edge/ca.pem" --checkpoint "$checkpoint" \
  --interval 2s)

say "running the agent; killing it with SIGKILL after its first image lands"
"${agent[@]}" > "$work/agent-1.log" 2>&1 &
agent_pid=$!; pids+=($agent_pid)
for _ in $(seq 1 600); do
  grep -q "copied " "$work/agent-1.log" && break
  kill -0 "$agent_pid" 2>/dev/null || break
  sleep 0.05
done
kill -KILL "$agent_pid" 2>/dev/null || true
wait "$agent_pid" 2>/dev/null || true
grep -E "copied |pruned " "$work/agent-1.log" || true
before=$(upstream_blob_bytes)
echo "killed. blob bytes served by the upstream so far: $before"
recorded=$(grep -c '"digest"' "$checkpoint" 2>/dev/null || true)
echo "the checkpoint on disk records ${recorded:-0} images (it is saved after each group's work)"

say "restarting: one pass with satellite sync --json"
sync_once --json > "$work/report-2.json" 2> "$work/sync-2.log" || true
cat "$work/report-2.json"
after=$(upstream_blob_bytes)
total=$(( images * layer_mib * 1024 * 1024 + base_mib * 1024 * 1024 ))
echo "image blob bytes served by the upstream: before the kill $before, after the restart" \
  "$((after - before)); distinct layer bytes in all: $total"
if ! grep -q '"ok":true' "$work/report-2.json"; then
  echo "demo: FAILED: the restarted pass did not complete; see its report above" >&2; exit 1
fi

say "restart with nothing changed upstream: no blob is transferred"
mark=$(upstream_blob_bytes)
sync_once 2>/dev/null
unchanged_bytes=$(( $(upstream_blob_bytes) - mark ))
echo "image blob bytes served by the upstream for this pass: $unchanged_bytes"
if [ "$unchanged_bytes" -ne 0 ]; then
  echo "demo: FAILED: a pass with nothing changed transferred image blobs" >&2; exit 1
fi

say "upstream change: demo/app1:v1 moves to a new image, demo/app$images leaves the state"
seed --registry "$upstream" --count 1 --seed 2 \
  --base-mib "$base_mib" --layer-mib 1 > /dev/null
g2_changed=""
for i in $(seq $((half + 1)) $((images - 1))); do g2_changed="${g2_changed:+$g2_changed,}demo/app$i:v1"; done
publish --registry "$upstream" --satellite edge-1 \
  --group "g1=$g1" --group "g2=${g2_changed:-demo/app1:v1}" --config "$work/config.json" 2>/dev/null >/dev/null
sync_once 2> "$work/sync-4.log"
grep -E "copied |pruned " "$work/sync-4.log" || true
if ! grep -q "pruned demo/app$images:v1" "$work/sync-4.log"; then
  echo "demo: FAILED: the image removed upstream was not pruned at the edge" >&2; exit 1
fi

say "done: the edge follows the upstream, and a crash cost only the image in flight"
