# Loopback registries for the benchmark scripts (sourced, bash): a work directory removed on exit,
# CNCF Distribution registries on free ports, and every process started stopped on exit.

# loopback_distribution NAME: sets $version, $tarball (the distribution; SATELLITE_TARBALL names
# another, an earlier build's say) and $tools (the benchmark tools' jar), or stops with what to
# build or install first
loopback_distribution() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$root/satellite-bom/pom.xml" | head -n 1)
  tarball=${SATELLITE_TARBALL:-$root/satellite-cli/target/satellite-$version.tar.gz}
  tools="$root/benchmarks/target/satellite-benchmarks.jar"
  [ -f "$tarball" ] && [ -f "$tools" ] || { echo "$1: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
  command -v docker-registry >/dev/null || { echo "$1: needs docker-registry on PATH" >&2; exit 2; }
}

# loopback_start NAME: makes $work and stops what is in $pids when the script exits
loopback_start() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/satellite-$1.XXXXXX")
  pids=()
  trap loopback_cleanup EXIT
}
loopback_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

# loopback_free_port: a loopback port nobody listens on
loopback_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "no free loopback port found" >&2; exit 1
}

# loopback_registry NAME: starts a registry on storage of its own in $work; sets $registry_port
# (not a command substitution: the registry's process must be recorded in this shell's $pids)
loopback_registry() {
  local port
  port=$(loopback_free_port)
  mkdir -p "$work/$1"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$work/$1" "$port" > "$work/$1.yml"
  docker-registry serve "$work/$1.yml" > "$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { registry_port=$port; return; }; sleep 0.1; done
  echo "registry $1 did not start" >&2; exit 1
}
