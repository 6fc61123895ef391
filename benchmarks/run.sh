#!/usr/bin/env bash
# satellite-java against `skopeo sync`, on real registries (CNCF Distribution) on loopback.
#
#   benchmarks/run.sh            # default data set, 3 repetitions, writes benchmarks/RESULTS.md
#   benchmarks/run.sh --quick    # small data set, 2 repetitions, a 256 MiB memory layer
#   benchmarks/run.sh --help     # every flag
#
# Steps: builds benchmarks/target/satellite-benchmarks.jar when missing or older than the sources;
# installs docker-registry, skopeo and time with apt-get when missing (as root); starts an upstream
# registry and seeds it (default: 10 images, each a 20 MiB base layer they share plus two 10 MiB
# layers of its own, random bytes); publishes the satellite state; then measures (each cold run
# and each scenario below on a fresh edge registry; warm and lost on the edge a cold run filled):
#   cold            empty edge, no checkpoint: satellite sync vs `skopeo sync` to a fresh edge
#   warm restart    new process, checkpoint present, upstream unchanged
#   checkpoint lost edge full, no checkpoint: satellite sync vs `skopeo sync` on its full edge
#   cold in one JVM cold syncs to fresh edges, one after the other in one JVM
#   edge ingest     the cold data set's blobs pushed to a fresh edge by curl (the floor)
#   AppCDS          cold, warm restart and checkpoint lost again, satellite-java started with a
#                   class data sharing archive (-XX:SharedArchiveFile) made by one training sync
#   AOT cache       the same on a JDK 25 or later (when one is found) with -XX:AOTCache
#   scale           1,000 tags (100 small images x 10 tags) in 10 groups: warm restart
#   memory          one 1 GiB layer copied with -Xmx64m
#   resume          that layer's copy killed at half, restarted: upload journal vs --no-resume
#   previous build  with --baseline JAR: cold, warm restart and 1,000 tags warm (new JVM and a
#                   running one) again with an earlier build's satellite-benchmarks.jar, each run
#                   beside this build's on the same registries, so that a change is judged by one run
#   edge links      the same copies through an emulated slow, flaky link, ours vs skopeo; the
#                   bandwidth cap; 1,000 tags cold with skopeo; an agent's cold pass vs skopeo
#                   (benchmarks/link.sh; --link-only runs just these, ~25 minutes)
# plus one JFR profile of a cold sync. Requests and bytes are counted from the registries' access
# logs. It fails only when something breaks (a registry, a sync, a copy), never on a number.
# Every process it starts is stopped on exit; the work directory is removed unless --keep.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
jar="$root/benchmarks/target/satellite-benchmarks.jar"
command_line="benchmarks/run.sh${*:+ $*}"

reps=3 images=10 base_mib=20 layer_mib=10 layers=2 groups=2
scale_repos=100 scale_tags=10 scale_groups=10 scale_layer_kib=1
big=1 big_mib=1024 big_xmx=64m profile=1 cds=1 aot=auto aot_java="" build=auto keep=0
link=1 link_only=0 link_big_mib=1024 link_cap_mib=4 baseline=""
output="$here/RESULTS.md"
java_opts=${BENCH_JAVA_OPTS:-}

usage() {
  cat <<'EOF'
usage: benchmarks/run.sh [options]
  --quick               --reps 2 --images 4 --base-mib 8 --layer-mib 4 --big-mib 256
                        (later flags override it)
  --reps N              repetitions of each measured run (default 3)
  --images N            images in the main data set (default 10), one tag each
  --base-mib N          size of the base layer all images share (default 20)
  --layer-mib N         size of each layer unique to an image (default 10)
  --layers N            unique layers per image (default 2)
  --groups N            groups the images are spread over (default 2)
  --scale-repos N       repositories of the scale data set, one small image each (default 100)
  --scale-tags N        tags per repository (default 10)
  --scale-groups N      groups of the scale data set (default 10)
  --big-mib N           size of the single layer of the memory run (default 1024)
  --big-xmx SIZE        -Xmx of the memory run (default 64m)
  --no-big              skip the memory run
  --no-profile          skip the JFR profile of a cold sync
  --no-cds              skip the runs with an AppCDS archive
  --aot-java PATH       java of a JDK 25 or later for the runs with an AOT cache (default: the
                        first such JDK under /usr/lib/jvm, if any)
  --no-aot              skip the runs with an AOT cache
  --no-build            use the existing jar as it is
  --output FILE         where to write the results (default benchmarks/RESULTS.md)
  --keep                keep the work directory (registries' storage, logs, JFR file)
  --link-only           only the edge-link scenarios (link emulator, cap, 1,000 tags cold with
                        skopeo, agent cold pass); replaces their section of the output file
  --no-link             skip the edge-link scenarios
  --link-big-mib N      size of the single layer of link scenario (c) (default 1024)
  --link-cap-mib N      the bandwidth cap measured, in MiB/s (default 4)
  --baseline JAR        an earlier build's benchmarks/target/satellite-benchmarks.jar, run beside
                        this build in the cold, warm restart and scale scenarios
environment: BENCH_JAVA_OPTS  extra JVM options for every satellite-java run
EOF
}

die() { echo "run.sh: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*" >&2; }
number() { [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge "${3:-1}" ] || die "option $1: '$2' is not a whole number >= ${3:-1}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) reps=2 images=4 base_mib=8 layer_mib=4 big_mib=256 ;;
    --reps) number "$1" "${2-}"; reps=$2; shift ;;
    --images) number "$1" "${2-}"; images=$2; shift ;;
    --base-mib) number "$1" "${2-}" 0; base_mib=$2; shift ;;
    --layer-mib) number "$1" "${2-}"; layer_mib=$2; shift ;;
    --layers) number "$1" "${2-}" 0; layers=$2; shift ;;
    --groups) number "$1" "${2-}"; groups=$2; shift ;;
    --scale-repos) number "$1" "${2-}"; scale_repos=$2; shift ;;
    --scale-tags) number "$1" "${2-}"; scale_tags=$2; shift ;;
    --scale-groups) number "$1" "${2-}"; scale_groups=$2; shift ;;
    --big-mib) number "$1" "${2-}"; big_mib=$2; shift ;;
    --big-xmx) [[ ${2-} =~ ^[0-9]+[kmgKMG]?$ ]] || die "option --big-xmx: '${2-}' is not a heap size"
      big_xmx=$2; shift ;;
    --no-big) big=0 ;;
    --no-profile) profile=0 ;;
    --no-cds) cds=0 ;;
    --aot-java) [ -x "${2-}" ] || die "option --aot-java: '${2-}' is not an executable"
      aot=1 aot_java=$2; shift ;;
    --no-aot) aot=0 ;;
    --no-build) build=never ;;
    --output) [ -n "${2-}" ] || die "option --output needs a file"; output=$2; shift ;;
    --keep) keep=1 ;;
    --link-only) link_only=1 ;;
    --no-link) link=0 ;;
    --link-big-mib) number "$1" "${2-}"; link_big_mib=$2; shift ;;
    --link-cap-mib) number "$1" "${2-}"; link_cap_mib=$2; shift ;;
    --baseline) [ -f "${2-}" ] || die "option --baseline: '${2-}' is not a file"
      baseline=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
    --help|-h) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
  shift
done
[ "$groups" -le "$images" ] || die "--groups ($groups) is more than --images ($images)"
[ "$scale_groups" -le "$((scale_repos * scale_tags))" ] || die "--scale-groups is more than the scale images"

# ---------------------------------------------------------------- tools
install_packages() {
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    die "missing $*; install with: sudo apt-get install $*"
  fi
}
missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
[ -x /usr/bin/time ] || missing+=(time)
command -v jfr >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v curl >/dev/null 2>&1 || missing+=(curl)
install_packages "${missing[@]}"

stale_jar() {
  [ ! -f "$jar" ] || [ -n "$(find "$root" -path '*/target' -prune -o \
    \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]
}
if [ "$build" = auto ] && stale_jar; then
  command -v mvn >/dev/null 2>&1 || install_packages maven
  say "building $jar"
  (cd "$root" && { mvn -B -q -o -DskipTests package || mvn -B -q -DskipTests package; }) >&2
fi
[ -f "$jar" ] || die "no $jar (build it with: mvn -B -q -DskipTests package)"

# ---------------------------------------------------------------- processes
work=$(mktemp -d "${TMPDIR:-/tmp}/satellite-bench.XXXXXX")
pids=()
declare -A reg_port reg_pid reg_log reg_storage
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then echo "run.sh: work directory kept: $work" >&2; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    port_open "$port" || { echo "$port"; return; }
  done
  die "no free loopback port found"
}

# start_registry NAME: a registry on its own empty storage and a free port, access log on.
start_registry() {
  local name=$1 dir="$work/registry-$1" port pid
  mkdir -p "$dir/storage"
  for _ in 1 2 3; do
    port=$(free_port)
    cat > "$dir/config.yml" <<YML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YML
    docker-registry serve "$dir/config.yml" > "$dir/registry.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 1 100); do
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      if port_open "$port"; then
        reg_port[$name]=$port reg_pid[$name]=$pid reg_log[$name]=$dir/registry.log
        reg_storage[$name]=$dir/storage
        return
      fi
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  done
  cat "$dir/registry.log" >&2
  die "registry $name did not start (log above)"
}
stop_registry() { # NAME: stops it and frees its storage
  kill "${reg_pid[$1]}" 2>/dev/null || true
  wait "${reg_pid[$1]}" 2>/dev/null || true
  rm -rf "${reg_storage[$1]}"
}
url() { echo "http://127.0.0.1:${reg_port[$1]}"; }
hostport() { echo "127.0.0.1:${reg_port[$1]}"; }

# ---------------------------------------------------------------- counting
# count_requests LOG FROM_LINE: requests answered after line FROM_LINE of a registry access log:
#   blobGETs blobBytes manifestGETs manifestHEADs blobHEADs writes other stateRequests
# (state artifacts, the repositories under satellite/, are counted apart from images)
count_requests() {
  tail -n +"$(($2 + 1))" "$1" | awk '
    match($0, /"[A-Z]+ [^ ]+ HTTP\/[0-9.]+" [0-9]+ [0-9-]+/) {
      split(substr($0, RSTART + 1, RLENGTH - 1), f, /[ "]+/)
      method = f[1]; path = f[2]; bytes = (f[5] == "-") ? 0 : f[5]
      if (path ~ /^\/v2\/satellite\//) { state++ }
      else if (method == "GET" && path ~ /\/blobs\/[a-z0-9]+:[a-f0-9]+$/) { bg++; bb += bytes }
      else if (method == "GET" && path ~ /\/manifests\//) { mg++ }
      else if (method == "HEAD" && path ~ /\/manifests\//) { mh++ }
      else if (method == "HEAD" && path ~ /\/blobs\//) { bh++ }
      else if (method ~ /^(PUT|POST|PATCH|DELETE)$/) { w++ }
      else { other++ }
    }
    END { printf "%d\t%.0f\t%d\t%d\t%d\t%d\t%d\t%d\n", bg, bb, mg, mh, bh, w, other, state }'
}
log_mark() { wc -l < "${reg_log[$1]}"; }
clk_tck=$(getconf CLK_TCK)
registry_cpu_ms() { # NAME: CPU time (user + system) the registry has used so far, in ms
  awk -v hz="$clk_tck" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/${reg_pid[$1]}/stat"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { # numbers on standard input, one per line: their median, rounded
  sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
median_after_first() { # "MS MS ...": the median of all but the first
  echo "$1" | tr ' ' '\n' | tail -n +2 | median
}

# stat SCENARIO TOOL COLUMN FORMAT: "median (min–max)" of a column over the runs, or "—"
stat() {
  awk -F'\t' -v s="$1" -v t="$2" -v c="$3" '$1 == s && $2 == t && $c != "-" { print $c }' "$runs" \
    | sort -n | awk -v fmt="$4" '
      function f(x) {
        if (fmt == "mib" && x < 1048576) return (x == 0) ? "0" : sprintf("%.1f KiB", x / 1024)
        if (fmt == "mib") return sprintf("%.1f MiB", x / 1048576)
        if (fmt == "kib") return sprintf("%.0f MiB", x / 1024)
        if (fmt == "ms") return sprintf("%.0f ms", x)
        return sprintf("%.0f", x)
      }
      { v[NR] = $1 }
      END {
        if (NR == 0) { print "—"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        print (v[1] == v[NR]) ? f(m) : f(m) " (" f(v[1]) "–" f(v[NR]) ")"
      }'
}
# value SCENARIO TOOL COLUMN AGG: median, max or sum of a column, a whole number (empty: no runs)
value() {
  awk -F'\t' -v s="$1" -v t="$2" -v c="$3" '$1 == s && $2 == t && $c != "-" { print $c }' "$runs" \
    | sort -n | awk -v agg="$4" '{ v[NR] = $1; sum += $1 }
      END { if (NR == 0) exit
        if (agg == "max") x = v[NR]; else if (agg == "sum") x = sum
        else x = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.0f\n", x }'
}
# runs.tsv columns: 1 scenario 2 tool 3 rep 4 wallMs 5 inProcessMs 6 peakHeapBytes 7 rssKiB
#   8-15 upstream counts, 16-23 edge counts (see count_requests), 24 cpuMs (user + system),
#   25 upstream registry cpuMs, 26 edge registry cpuMs (during the run)
runs="$work/runs.tsv"
: > "$runs"
# shellcheck source=benchmarks/resume.sh
. "$here/resume.sh"
# run_marks UPSTREAM EDGE: sets the marks a run is measured from (access log lines, registry CPU)
run_marks() {
  up_mark=$(log_mark "$1"); edge_mark=$(log_mark "$2")
  up_cpu=$(registry_cpu_ms "$1"); edge_cpu=$(registry_cpu_ms "$2")
}
record() { # SCENARIO TOOL REP WALL INPROC HEAP TIMEFILE UPSTREAM EDGE (after run_marks)
  sleep 0.2 # the registry logs a request just after answering it
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" \
    "$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$7")" \
    "$(count_requests "${reg_log[$8]}" "$up_mark")" "$(count_requests "${reg_log[$9]}" "$edge_mark")" \
    "$(awk -F': ' '/(User|System) time/ { s += $2 } END { printf "%.0f", s * 1000 }' "$7")" \
    "$(( $(registry_cpu_ms "$8") - up_cpu ))" "$(( $(registry_cpu_ms "$9") - edge_cpu ))" \
    >> "$runs"
}
failed_run() { # WHAT FILES...: a run that broke; show its output and stop
  local what=$1; shift
  for f in "$@"; do echo "--- $f" >&2; tail -n 30 "$f" >&2 || true; done
  die "$what failed (output above)"
}

# ours SCENARIO REP EDGE CHECKPOINT STATE [JVM options]: one satellite sync (BenchSync) in a new JVM,
# recorded as tool $ours_tool, from the classes of $ours_jar
ours_tool=ours ours_java=java ours_jar=$jar
ours() {
  local scenario=$1 rep=$2 edge=$3 checkpoint=$4 state=$5; shift 5
  local base="$work/runs/$scenario-$ours_tool-$rep" start wall status=0
  mkdir -p "$work/runs"
  run_marks upstream "$edge"
  start=$(now_ms)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$base.time" "$ours_java" $java_opts "$@" -cp "$ours_jar" \
    dev.satellite.benchmarks.BenchSync --state "$state" --destination "$(url "$edge")" \
    --checkpoint "$checkpoint" --json > "$base.out" 2> "$base.err" || status=$?
  wall=$(( $(now_ms) - start ))
  if [ "$status" != 0 ] || ! grep -q '"ok":true' "$base.out"; then
    failed_run "satellite-java $scenario run $rep (exit $status)" "$base.out" "$base.err"
  fi
  record "$scenario" "$ours_tool" "$rep" "$wall" \
    "$(grep -o '"durationMillis":[0-9]*' "$base.out" | head -n 1 | cut -d: -f2)" \
    "$(grep -o '"peakHeapBytes":[0-9]*' "$base.out" | cut -d: -f2)" "$base.time" upstream "$edge"
  echo "  $scenario satellite-java #$rep: ${wall} ms" >&2
}

# skopeo_sync SCENARIO REP EDGE: `skopeo sync` of the main data set to EDGE, one process
skopeo_sync() {
  local scenario=$1 rep=$2 edge=$3
  local base="$work/runs/$scenario-skopeo-$rep" start wall status=0
  run_marks upstream "$edge"
  start=$(now_ms)
  /usr/bin/time -v -o "$base.time" skopeo sync --all --src yaml --dest docker \
    --dest-tls-verify=false "$work/skopeo-sync.yaml" "$(hostport "$edge")" \
    > "$base.out" 2>&1 || status=$?
  wall=$(( $(now_ms) - start ))
  [ "$status" = 0 ] || failed_run "skopeo $scenario run $rep (exit $status)" "$base.out"
  record "$scenario" skopeo "$rep" "$wall" - - "$base.time" upstream "$edge"
  echo "  $scenario skopeo #$rep: ${wall} ms" >&2
}

# seed NAME SEEDER-OPTIONS...: pushes a data set upstream; its "repo:tag digest" lines in NAME.txt
seed() {
  local name=$1 start; shift
  start=$(now_ms)
  java -cp "$jar" dev.satellite.benchmarks.SeedBenchImages --registry "$(url upstream)" "$@" \
    > "$work/$name.txt" 2> "$work/$name.err" || failed_run "seeding $name" "$work/$name.err"
  echo "$(( $(now_ms) - start ))"
}

# publish SATELLITE DATASET GROUPS: spreads the repositories (with all their tags) over GROUPS
# groups, round robin; prints the state reference
publish() {
  local satellite=$1 dataset=$2 count=$3 args=() g
  for g in $(seq 1 "$count"); do
    args+=(--group "$satellite-g$g=$(awk -v g="$g" -v n="$count" '
      { split($1, rt, ":"); if (!(rt[1] in index_of)) index_of[rt[1]] = repos++ }
      index_of[rt[1]] % n == g - 1 { printf "%s%s", sep, $1; sep = "," }' "$work/$dataset.txt")")
  done
  java -cp "$jar" dev.satellite.cli.SatelliteCommand publish-state --registry "$(url upstream)" \
    --satellite "$satellite" "${args[@]}" 2> "$work/publish-$satellite.err" \
    || failed_run "publishing the $satellite state" "$work/publish-$satellite.err"
}

# ---------------------------------------------------------------- machine
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
run_start=$(date +%s)
java_version=$(java -version 2>&1 | sed -n 2p)
java_feature() { # JAVA: its feature release (17, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }'
}
if [ "$aot" = auto ]; then
  aot=0
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    if [ "$(java_feature "$candidate")" -ge 25 ] 2>/dev/null; then aot=1 aot_java=$candidate; break; fi
  done
elif [ "$aot" = 1 ] && ! [ "$(java_feature "$aot_java")" -ge 25 ] 2>/dev/null; then
  die "--aot-java $aot_java is not a JDK 25 or later (the AOT cache options need one)"
fi
if [ "$aot" = 1 ]; then aot_version=$("$aot_java" -version 2>&1 | sed -n 2p); fi
machine_free=$(free -h)

# ---------------------------------------------------------------- data
say "starting the upstream registry and seeding it"
start_registry upstream
seed_ms=$(seed main --prefix bench/app --count "$images" --tags 1 --base-kib $((base_mib * 1024)) \
  --layers "$layers" --layer-kib $((layer_mib * 1024)))
state=$(publish bench main "$groups")
distinct_bytes=$(( (base_mib + images * layers * layer_mib) * 1048576 ))
{
  echo "$(hostport upstream):"
  echo "  tls-verify: false"
  echo "  images:"
  awk '{ split($1, rt, ":"); printf "    %s: [%s]\n", rt[1], rt[2] }' "$work/main.txt"
} > "$work/skopeo-sync.yaml"
echo "  seeded $images images in ${seed_ms} ms; state $state" >&2
# the main data set's distinct blobs (layers and configs), as the upstream stores them
find "${reg_storage[upstream]}/docker/registry/v2/repositories/bench" -path '*/_layers/sha256/*/link' \
  -exec awk 1 {} + | sort -u > "$work/main-blobs.txt"

# skopeo must copy the layers as they are, or the comparison is not of the same work
check_skopeo_copy() { # EDGE
  local repo_tag digest got
  read -r repo_tag digest < "$work/main.txt"
  got=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' \
    "docker://$(hostport "$1")/${repo_tag#*/}")
  [ "$got" = "$digest" ] || die "skopeo stored ${repo_tag#*/} as $got, not $digest: not a like-for-like copy"
}

# shellcheck source=benchmarks/link.sh
. "$here/link.sh"
if [ "$link_only" = 1 ]; then
  link_runs
  # the section replaces the one between its markers in the output file, or is appended to it
  if [ -f "$output" ] && grep -q '<!-- link:begin -->' "$output"; then
    awk -v section="$link_section" '
      /<!-- link:begin -->/ { while ((getline line < section) > 0) print line; skip = 1; next }
      /<!-- link:end -->/ { skip = 0; next }
      !skip' "$output" > "$work/output.md"
  else
    { [ -f "$output" ] && cat "$output" && echo; cat "$link_section"; } > "$work/output.md"
  fi
  cp "$work/output.md" "$output"
  say "edge-link results written to $output"
  exit 0
fi

# ---------------------------------------------------------------- scenarios
say "cold: empty edge, no checkpoint ($reps runs each, alternating)"
for rep in $(seq 1 "$reps"); do
  [ "$rep" = 1 ] || { stop_registry "cold-ours-$((rep - 1))"; stop_registry "cold-skopeo-$((rep - 1))"; }
  start_registry "cold-ours-$rep"
  ours cold "$rep" "cold-ours-$rep" "$work/checkpoint-cold-$rep.json" "$state"
  start_registry "cold-skopeo-$rep"
  skopeo_sync cold "$rep" "cold-skopeo-$rep"
  if [ -n "$baseline" ]; then
    [ "$rep" = 1 ] || stop_registry "cold-previous-$((rep - 1))"
    start_registry "cold-previous-$rep"
    ours_tool=previous ours_jar=$baseline
    ours cold "$rep" "cold-previous-$rep" "$work/checkpoint-previous-$rep.json" "$state"
    ours_tool=ours ours_jar=$jar
  fi
done
full_ours="cold-ours-$reps" full_skopeo="cold-skopeo-$reps"
checkpoint="$work/checkpoint-cold-$reps.json"
check_skopeo_copy "$full_skopeo"

say "warm restart: checkpoint present, upstream unchanged"
for rep in $(seq 1 "$reps"); do
  ours warm "$rep" "$full_ours" "$checkpoint" "$state"
  if [ -n "$baseline" ]; then
    ours_tool=previous ours_jar=$baseline
    ours warm "$rep" "cold-previous-$reps" "$work/checkpoint-previous-$reps.json" "$state"
    ours_tool=ours ours_jar=$jar
  fi
done
[ -z "$baseline" ] || stop_registry "cold-previous-$reps"

say "checkpoint lost: edge full, no checkpoint"
for rep in $(seq 1 "$reps"); do
  ours lost "$rep" "$full_ours" "$work/checkpoint-lost-$rep.json" "$state"
  skopeo_sync lost "$rep" "$full_skopeo"
done
stop_registry "$full_ours"; stop_registry "$full_skopeo"

# cold syncs in one JVM, each to a fresh edge: the first pays for class loading and compilation,
# the later ones show what copying new images costs an agent that stays up
say "cold syncs in one JVM: $reps fresh edges after a first one"
warm_edges=()
for rep in $(seq 0 "$reps"); do start_registry "jvm-cold-$rep"; warm_edges+=("$(url "jvm-cold-$rep")"); done
# shellcheck disable=SC2086
java $java_opts -cp "$jar" dev.satellite.benchmarks.RepeatedSync $((reps + 1)) \
  --fresh-edges "$(IFS=,; echo "${warm_edges[*]:1}")" --state "$state" \
  --destination "${warm_edges[0]}" --checkpoint "$work/checkpoint-jvm-cold.json" \
  > "$work/runs/jvm-cold.out" 2> "$work/runs/jvm-cold.err" \
  || failed_run "cold syncs in one JVM" "$work/runs/jvm-cold.err"
jvm_cold_passes=$(grep -o '"passMillis":\[[0-9, ]*\]' "$work/runs/jvm-cold.out" | tr -dc '0-9,\n' | tr ',' ' ')
jvm_cold=$(median_after_first "$jvm_cold_passes")
echo "  cold passes in one JVM: $jvm_cold_passes ms" >&2
for rep in $(seq 0 "$reps"); do stop_registry "jvm-cold-$rep"; done

# the edge's own ingest rate: the same distinct blobs pushed to a fresh edge by curl, straight from
# the upstream's storage files, one monolithic upload each, four at a time (no upstream, no hashing
# by the client, two curl processes in all): about the least time any tool can take to put this
# data set into this registry
blob_files="${reg_storage[upstream]}/docker/registry/v2/blobs/sha256"
push_blobs() { # EDGE_URL: opens one upload session per blob, then uploads them all
  local sessions=() uploads=() locations digest location separator i=0
  while read -r digest; do sessions+=(-o /dev/null "$1/v2/bench/ingest/blobs/uploads/"); done \
    < "$work/main-blobs.txt"
  mapfile -t locations < <(curl -sSf -X POST -D - "${sessions[@]}" | tr -d '\r' \
    | awk 'tolower($1) == "location:" { print $2 }')
  while read -r digest; do
    location=${locations[$i]}; i=$((i + 1))
    case $location in *\?*) separator='&' ;; *) separator='?' ;; esac
    uploads+=(-T "$blob_files/${digest:7:2}/${digest:7}/data" -o /dev/null
      "$location${separator}digest=$digest")
  done < "$work/main-blobs.txt"
  curl -sSf --no-progress-meter --parallel --parallel-max 4 -H 'Expect:' \
    -H 'Content-Type: application/octet-stream' "${uploads[@]}"
}
say "edge ingest: $(wc -l < "$work/main-blobs.txt") distinct blobs pushed by curl, 4 at a time ($reps runs)"
ingest_runs=""
for rep in $(seq 1 "$reps"); do
  start_registry "ingest-$rep"
  ingest_cpu=$(registry_cpu_ms "ingest-$rep"); start=$(now_ms)
  push_blobs "$(url "ingest-$rep")" || die "pushing the blobs to edge ingest-$rep failed"
  wall=$(( $(now_ms) - start ))
  ingest_runs+="$wall $(( $(registry_cpu_ms "ingest-$rep") - ingest_cpu ))"$'\n'
  echo "  edge ingest #$rep: ${wall} ms" >&2
  stop_registry "ingest-$rep"
done
ingest_ms=$(echo "$ingest_runs" | awk 'NF { print $1 }' | median)
ingest_range=$(echo "$ingest_runs" | awk 'NF { print $1 }' | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 }
  END { print lo "–" hi }')
ingest_cpu=$(echo "$ingest_runs" | awk 'NF { print $2 }' | median)

# start-up variants of the one-shot runs. AppCDS: the classes loaded by one training sync (a cold
# one, so copying code is in) are archived at its exit, and the measured runs map that archive
# instead of loading and verifying those classes. AOT cache (JDK 25 and later): the training run
# also leaves classes linked and method profiles, so the measured runs start compiling sooner.
declare -A variant_java variant_train variant_use variant_label
variants=()
if [ "$cds" = 1 ]; then
  variants+=(cds) variant_java[cds]=java variant_label[cds]="with AppCDS"
  variant_train[cds]="-XX:ArchiveClassesAtExit=$work/satellite.jsa"
  variant_use[cds]="-XX:SharedArchiveFile=$work/satellite.jsa"
fi
if [ "$aot" = 1 ]; then
  variants+=(aot) variant_java[aot]=$aot_java
  variant_label[aot]="JDK $(java_feature "$aot_java") with an AOT cache"
  variant_train[aot]="-XX:AOTCacheOutput=$work/satellite.aot"
  variant_use[aot]="-XX:AOTCache=$work/satellite.aot"
fi
for variant in "${variants[@]}"; do
  say "${variant_label[$variant]}: training sync, then cold ($reps runs), warm restart and checkpoint lost"
  start_registry "$variant-train"
  ours_tool=$variant-train ours_java=${variant_java[$variant]}
  ours cold 1 "$variant-train" "$work/checkpoint-$variant-train.json" "$state" "${variant_train[$variant]}"
  stop_registry "$variant-train"
  ours_tool=$variant
  for rep in $(seq 1 "$reps"); do
    [ "$rep" = 1 ] || stop_registry "cold-$variant-$((rep - 1))"
    start_registry "cold-$variant-$rep"
    ours cold "$rep" "cold-$variant-$rep" "$work/checkpoint-$variant-$rep.json" "$state" "${variant_use[$variant]}"
  done
  for rep in $(seq 1 "$reps"); do
    ours warm "$rep" "cold-$variant-$reps" "$work/checkpoint-$variant-$reps.json" "$state" "${variant_use[$variant]}"
  done
  for rep in $(seq 1 "$reps"); do
    ours lost "$rep" "cold-$variant-$reps" "$work/checkpoint-$variant-lost-$rep.json" "$state" "${variant_use[$variant]}"
  done
  stop_registry "cold-$variant-$reps"
  ours_tool=ours ours_java=java
done

scale_images=$((scale_repos * scale_tags))
say "scale: $scale_images tags ($scale_repos images) in $scale_groups groups"
scale_seed_ms=$(seed scale --prefix bench/scale --count "$scale_repos" --tags "$scale_tags" \
  --base-kib 0 --layers 1 --layer-kib "$scale_layer_kib")
scale_state=$(publish bench-scale scale "$scale_groups")
echo "  seeded in ${scale_seed_ms} ms; state $scale_state" >&2
start_registry scale
ours scale-cold 1 scale "$work/checkpoint-scale.json" "$scale_state"
for rep in $(seq 1 "$reps"); do
  ours scale-warm "$rep" scale "$work/checkpoint-scale.json" "$scale_state"
  if [ -n "$baseline" ]; then
    ours_tool=previous ours_jar=$baseline
    ours scale-warm "$rep" scale "$work/checkpoint-scale.json" "$scale_state"
    ours_tool=ours ours_jar=$jar
  fi
done
for variant in "${variants[@]}"; do
  ours_tool=$variant ours_java=${variant_java[$variant]}
  for rep in $(seq 1 "$reps"); do
    ours scale-warm "$rep" scale "$work/checkpoint-scale.json" "$scale_state" "${variant_use[$variant]}"
  done
  ours_tool=ours ours_java=java
done
# the same warm pass repeated in one JVM: what a pass costs once classes are loaded and compiled
repeated_warm() { # JAR NAME: the ms of each of 6 warm scale passes in one JVM of JAR's classes
  # shellcheck disable=SC2086
  java $java_opts -cp "$1" dev.satellite.benchmarks.RepeatedSync 6 --state "$scale_state" \
    --destination "$(url scale)" --checkpoint "$work/checkpoint-scale.json" \
    > "$work/runs/$2.out" 2> "$work/runs/$2.err" \
    || failed_run "repeated warm passes ($2)" "$work/runs/$2.err"
  grep -o '"passMillis":\[[0-9, ]*\]' "$work/runs/$2.out" | tr -dc '0-9,\n' | tr ',' ' '
}
scale_passes=$(repeated_warm "$jar" scale-repeated)
echo "  scale warm passes in one JVM: $scale_passes ms" >&2
if [ -n "$baseline" ]; then
  previous_scale_passes=$(repeated_warm "$baseline" scale-repeated-previous)
  echo "  scale warm passes in one JVM, previous build: $previous_scale_passes ms" >&2
fi
stop_registry scale

if [ "$big" = 1 ]; then
  say "memory: one ${big_mib} MiB layer with -Xmx$big_xmx"
  big_seed_ms=$(seed big --prefix bench/big --count 1 --tags 1 --base-kib 0 --layers 1 \
    --layer-kib $((big_mib * 1024)))
  big_state=$(publish bench-big big 1)
  echo "  seeded in ${big_seed_ms} ms" >&2
  start_registry memory
  ours memory 1 memory "$work/checkpoint-memory.json" "$big_state" "-Xmx$big_xmx"
  stop_registry memory
  resume_runs
fi

hot_spots="" hot_packages="" hot_project="" hot_total="" socket_waits="" jit_stats="" jit_longest=""
if [ "$profile" = 1 ]; then
  say "profile: one cold sync under JFR"
  start_registry profile
  ours profile 1 profile "$work/checkpoint-profile.json" "$state" \
    "-XX:StartFlightRecording=filename=$work/cold.jfr,settings=profile"
  stop_registry profile
  # execution samples (where CPU time goes) counted by top frame, by its package, and by the
  # innermost frame of this project's code on the stack
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$work/cold.jfr" | awk '
    /stackTrace = \[/ { inside = 1; top = ""; ours = "(no dev.satellite frame)"; next }
    inside && /^[ \t]*\]/ { inside = 0; if (top != "") print top "\t" ours; next }
    inside { frame = $0; sub(/^[ \t]+/, "", frame); sub(/[ \t]+line:.*$/, "", frame)
      if (top == "") top = frame
      if (ours ~ /^\(/ && frame ~ /^dev\.satellite\./) ours = frame }' > "$work/frames.tsv"
  top_count() { # KEY N: "count<TAB>percent<TAB>key" for the N most frequent keys
    awk -F'\t' -v n="$2" '
      function package(m, p, k, i, r) {
        sub(/\(.*$/, "", m); k = split(m, p, "."); r = p[1]
        for (i = 2; i < k - 1; i++) r = r "." p[i]
        return r
      }
      { key = ("'"$1"'" == "package") ? package($1) : ("'"$1"'" == "project") ? $2 : $1
        count[key]++; total++ }
      END { for (k in count) printf "%d\t%.1f\t%s\n", count[k], 100 * count[k] / total, k }' \
      "$work/frames.tsv" | sort -t$'\t' -k1,1nr | awk -v n="$2" 'NR <= n'
  }
  hot_spots=$(top_count method 15)
  hot_packages=$(top_count package 10)
  hot_project=$(top_count project 12)
  hot_total=$(jfr summary "$work/cold.jfr" | awk '$1 == "jdk.ExecutionSample" { print $2 }')
  # time threads spent blocked reading a registry's answer (jdk.SocketRead events of 10 ms or more)
  socket_waits=$(jfr print --events jdk.SocketRead "$work/cold.jfr" | awk \
    -v up="${reg_port[upstream]}" -v edge="${reg_port[profile]}" '
    /duration = / { v = $3; u = $4
      ms = (u == "s") ? v * 1000 : (u == "ms") ? v : (u == "us") ? v / 1000 : v / 1000000 }
    /port = / { name = ($3 == up) ? "upstream" : ($3 == edge) ? "edge" : "port " $3
      count[name]++; total[name] += ms }
    END { for (k in count) printf "| %s | %d | %.0f ms |\n", k, count[k], total[k] }' | sort)
  # the JIT compilers' work: the totals of the last jdk.CompilerStatistics event, and the
  # compilations long enough to be recorded (jdk.Compilation, 100 ms or more with this setting)
  jit_stats=$(jfr print --events jdk.CompilerStatistics "$work/cold.jfr" | awk '
    /compileCount = / { n = $3 } /totalTimeSpent = / { t = $3 " " $4 }
    END { if (n != "") print n " methods compiled in " t }')
  jit_longest=$(jfr print --events jdk.Compilation "$work/cold.jfr" | awk '
    /duration = / { v = $3; u = $4
      ms = (u == "s") ? v * 1000 : (u == "ms") ? v : (u == "us") ? v / 1000 : v / 1000000 }
    /method = / { m = $0; sub(/^[ \t]*method = /, "", m); printf "%.0f\t%s\n", ms, m }' \
    | sort -t$'\t' -k1,1nr | head -n 8)
fi
[ "$link" = 1 ] && link_runs
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
rows() { # SCENARIO: the table rows, satellite-java and skopeo side by side
  local s=$1
  row() { printf '| %s | %s | %s |\n' "$1" "$(stat "$s" ours "$2" "$3")" "$(stat "$s" skopeo "$2" "$3")"; }
  echo "| | satellite-java (satellite sync) | skopeo sync |"
  echo "|---|---|---|"
  row "in-process sync time" 5 ms
  row "whole-process wall time" 4 ms
  row "CPU time of the process (user + system)" 24 ms
  row "CPU time of the upstream registry meanwhile" 25 ms
  row "CPU time of the edge registry meanwhile" 26 ms
  row "upstream image blob bytes" 9 mib
  row "upstream blob GETs" 8 n
  row "upstream manifest GETs" 10 n
  row "upstream manifest HEADs" 11 n
  row "upstream blob HEADs" 12 n
  row "upstream other requests" 14 n
  row "upstream state-artifact requests" 15 n
  row "edge manifest GETs" 18 n
  row "edge manifest HEADs" 19 n
  row "edge blob HEADs" 20 n
  row "edge writes (POST/PUT/PATCH)" 21 n
  row "edge other requests (GET, ping)" "22" n
  row "peak heap (sum of pool peaks)" 6 mib
  row "peak RSS" 7 kib
  local variant
  for variant in "${variants[@]}"; do
    [ -n "$(value "$s" "$variant" 4 median)" ] || continue
    variant_row() {
      printf '| %s, %s | %s | — |\n' "$1" "${variant_label[$variant]}" "$(stat "$s" "$variant" "$2" "$3")"
    }
    variant_row "in-process sync time" 5 ms
    variant_row "whole-process wall time" 4 ms
    variant_row "CPU time of the process (user + system)" 24 ms
    variant_row "peak RSS" 7 kib
  done
}
plural() { if [ "$1" = 1 ]; then echo "1 run"; else echo "$1 runs"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo "**met**"; else echo "**not met**"; fi; }

cold_in=$(value cold ours 5 median); cold_wall=$(value cold ours 4 median)
cold_sk=$(value cold skopeo 4 median)
cold_cpu=$(value cold ours 24 median); cold_sk_cpu=$(value cold skopeo 24 median)
cold_reg=$(( $(value cold ours 25 median) + $(value cold ours 26 median) ))
cold_reg_sk=$(( $(value cold skopeo 25 median) + $(value cold skopeo 26 median) ))
cold_rate=$(awk -v b="$distinct_bytes" -v ms="$cold_in" 'BEGIN { printf "%.0f", b / 1048576 / (ms / 1000) }')
warm_img=$(( $(value warm ours 8 sum) + $(value warm ours 10 sum) ))
lost_bytes=$(value lost ours 9 max); lost_in=$(value lost ours 5 median)
lost_wall=$(value lost ours 4 median); lost_sk=$(value lost skopeo 4 median)
variant_note() { # SCENARIO COLUMN: ", with AppCDS N ms, ..." for the start-up variants that ran
  local variant v
  for variant in "${variants[@]}"; do
    v=$(value "$1" "$variant" "$2" median)
    if [ -n "$v" ]; then printf ', %s %s ms' "${variant_label[$variant]}" "$v"; fi
  done
}
lost_heads=$(( $(value lost ours 11 median) + $(value lost ours 19 median) ))
scale_in=$(value scale-warm ours 5 median); scale_img=$(( $(value scale-warm ours 8 sum) + $(value scale-warm ours 10 sum) ))

{
  echo "# Benchmark results: satellite-java vs skopeo sync"
  echo
  echo "Produced by \`$command_line\` on $started_at; measuring took $(( ($(date +%s) - run_start + 30) / 60 )) minutes"
  echo "(one run; every figure below comes from it)."
  echo "Each cell: median of the runs, (min–max) when they differ. Requests and bytes are counted"
  echo "from the registries' access logs; \"image\" requests leave out the state artifacts"
  echo "(repositories under \`satellite/\`), which are counted on their own row."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $cpu_model, \`nproc\` = $(nproc)"
  echo "- load average (1, 5, 15 min) at start: $load_start; at end: $load_end."
  echo "  The machine is shared with other jobs (builds, test suites) that may have run meanwhile:"
  echo "  with 2 cores, a load above 2 means the benchmark competed for CPU, and wall times are noisy."
  echo "- JVM: $java_version (default options${java_opts:+ plus \`$java_opts\`})"
  echo "- $(skopeo --version); $(docker-registry --version | awk '{ print "CNCF Distribution " $3 }') (filesystem storage, on loopback)"
  echo "- \`free -h\`:"
  echo
  echo '```'
  echo "$machine_free"
  echo '```'
  echo
  echo "## Data set"
  echo
  echo "- main: $images images (\`bench/app1..$images:t1\`) in $groups groups; each is a ${base_mib} MiB base"
  echo "  layer all images share plus $layers layers of ${layer_mib} MiB of its own (random bytes in a stored,"
  echo "  uncompressed gzip stream, typed \`tar+gzip\`): $((distinct_bytes / 1048576)) MiB of distinct blobs."
  echo "  Seeding took ${seed_ms} ms."
  echo "- scale: $scale_images tags: $scale_repos repositories, each one image of one ${scale_layer_kib} KiB layer tagged"
  echo "  $scale_tags times, in $scale_groups groups. Seeding took ${scale_seed_ms} ms."
  if [ "$big" = 1 ]; then echo "- memory: one image of a single ${big_mib} MiB layer."; fi
  echo
  echo "## How each side runs"
  echo
  echo "- satellite-java: \`satellite sync --json\` (through \`BenchSync\`, which adds the heap figure at exit) in"
  echo "  a new JVM per run, library defaults. In-process time is the report's \`durationMillis\` (the"
  echo "  \`Reconciler.sync()\` pass); whole-process time includes JVM start-up."
  echo "- skopeo: \`skopeo sync --all --src yaml --dest docker --dest-tls-verify=false\` with the same"
  echo "  images listed in one YAML file (\`tls-verify: false\`), so all images go through one process;"
  echo "  \`--src docker\` takes one repository per process. The copy is checked to keep the image digests."
  echo "- One upstream registry for the whole run; a fresh edge registry for each cold run; the warm"
  echo "  and checkpoint-lost runs use the edge filled by the last cold run of the same tool."
  if [ "$cds" = 1 ]; then
    echo "- \"with AppCDS\" rows: the same \`satellite sync\` runs (cold on fresh edges, then warm restart and"
    echo "  checkpoint lost on the last one) started with \`-XX:SharedArchiveFile\`, an application class"
    echo "  data sharing archive written by one training cold sync (\`-XX:ArchiveClassesAtExit\`); see"
    echo "  benchmarks/README.md for the recipe."
  fi
  if [ "$aot" = 1 ]; then
    echo "- \"${variant_label[aot]}\" rows: the same runs on $aot_version,"
    echo "  started with \`-XX:AOTCache\`, an ahead-of-time cache (classes loaded and linked, method"
    echo "  profiles) written by one training cold sync (\`-XX:AOTCacheOutput\`); see benchmarks/README.md."
  else
    echo "- No JDK 25 or later was found, so there are no AOT cache rows (\`--aot-java\` names one)."
  fi
  echo "- CPU time: user + system time of the process, from \`/usr/bin/time -v\`. With 2 cores shared by"
  echo "  both registries, the tool and other jobs, the CPU a tool burns slows the registries it talks to."
  echo "- Peak RSS: \`/usr/bin/time -v\` (maximum resident set size). Peak heap: sum of the peak usage of"
  echo "  the JVM's heap pools, an upper bound that includes garbage not yet collected, so it follows"
  echo "  the room the collector is given more than the need (the memory run shows the need)."
  echo
  echo "## Cold: empty edge, no checkpoint ($(plural "$reps") each)"
  echo
  rows cold
  echo
  echo "Cold syncs in one JVM, each to a fresh edge with a new checkpoint (\`RepeatedSync --fresh-edges\`),"
  echo "in-process ms per pass: $jvm_cold_passes. The first pays for class loading and compilation;"
  echo "the later ones are what copying new images costs an agent that stays up (median of passes 2"
  echo "on: $jvm_cold ms, $(ratio "$jvm_cold" "$cold_sk")× skopeo's ${cold_sk} ms)."
  echo
  echo "The registries' own CPU time sets a floor: in the cold runs above, the upstream and the edge"
  echo "registry used $cold_reg ms of CPU together during a satellite-java run and $cold_reg_sk ms during"
  echo "a skopeo run. On $(nproc) cores that alone takes at least $((cold_reg / $(nproc))) ms of wall time, whatever the tool;"
  echo "adding skopeo's own $cold_sk_cpu ms, its run cannot take less than $(( (cold_reg_sk + cold_sk_cpu) / $(nproc) )) ms here."
  echo
  echo "The edge alone: the same $(wc -l < "$work/main-blobs.txt") distinct blobs pushed to a fresh edge by \`curl\` straight from the"
  echo "upstream's storage files (one monolithic upload each, four at a time, two curl processes; no"
  echo "upstream, no client-side hashing) took $ingest_ms ms ($ingest_range ms over $(plural "$reps"); $(awk -v b="$distinct_bytes" -v ms="$ingest_ms" 'BEGIN { printf "%.0f", b / 1048576 / (ms / 1000) }') MiB/s), the edge"
  echo "using $ingest_cpu ms of CPU: about the least time any tool can take to put this data set into this"
  echo "registry here. satellite-java's cold pass took $(ratio "$cold_in" "$ingest_ms")× that, skopeo $(ratio "$cold_sk" "$ingest_ms")×; half of skopeo's time"
  echo "is $(ratio "$((cold_sk / 2))" "$ingest_ms")× it."
  echo
  echo "## Warm restart: new process, checkpoint present, upstream unchanged ($(plural "$reps"))"
  echo
  rows warm
  echo
  echo "## Checkpoint lost: edge full, no checkpoint ($(plural "$reps") each)"
  echo
  rows lost
  echo
  echo "## Scale: $scale_images tags ($scale_repos images) in $scale_groups groups"
  echo
  echo "Cold (1 run, fills the edge):"
  echo
  rows scale-cold
  echo
  echo "Warm restart ($(plural "$reps")):"
  echo
  rows scale-warm
  echo
  echo "The same warm pass repeated in one JVM (\`RepeatedSync\`), in-process ms per pass: $scale_passes."
  echo "The first pass of a JVM pays for class loading and compilation; the later ones show what a"
  echo "pass costs an agent that stays up (median of passes 2 on: $(median_after_first "$scale_passes") ms)."
  echo
  if [ "$big" = 1 ]; then
    echo "## Memory: one ${big_mib} MiB layer, \`-Xmx$big_xmx\` (1 run)"
    echo
    rows memory
    echo
    resume_section
  fi
  if [ -n "$baseline" ]; then
    echo "## This build beside the previous one"
    echo
    echo "The previous build: \`$baseline\`, run in the same scenarios on the same registries, each of"
    echo "its runs right after this build's (cold on a fresh edge of its own)."
    echo
    echo "| | this build | previous build |"
    echo "|---|---|---|"
    beside() { # LABEL SCENARIO COLUMN FORMAT
      printf '| %s | %s | %s |\n' "$1" "$(stat "$2" ours "$3" "$4")" "$(stat "$2" previous "$3" "$4")"
    }
    beside "cold, in-process sync time" cold 5 ms
    beside "cold, whole-process wall time" cold 4 ms
    beside "cold, CPU time of the process" cold 24 ms
    beside "cold, peak RSS" cold 7 kib
    beside "cold, edge manifest GETs" cold 18 n
    beside "cold, edge manifest HEADs" cold 19 n
    beside "warm restart, whole-process wall time" warm 4 ms
    beside "warm restart, upstream image requests (blob + manifest GETs)" warm 8 n
    beside "$scale_images tags warm, in-process (new JVM)" scale-warm 5 ms
    printf '| %s | %s ms | %s ms |\n' "$scale_images tags warm, in a JVM that has run a pass (median of passes 2–6)" \
      "$(median_after_first "$scale_passes")" "$(median_after_first "$previous_scale_passes")"
    echo
  fi
  echo "## Goals (issue 6)"
  echo
  echo "| goal | measured | |"
  echo "|---|---|---|"
  echo "| cold: in-process ≤ 0.5 × skopeo wall time | ${cold_in} ms vs ${cold_sk} ms: $(ratio "$cold_in" "$cold_sk")× (whole process: $(ratio "$cold_wall" "$cold_sk")×$(variant_note cold 4); CPU time: $(ratio "$cold_cpu" "$cold_sk_cpu")×); ${cold_rate} MiB/s of distinct blobs; in a JVM that has run a pass before: ${jvm_cold} ms, $(ratio "$jvm_cold" "$cold_sk")×. The registries alone need ≥ $((cold_reg / $(nproc))) ms of this machine's $(nproc) cores; the edge alone ingests these blobs from curl in ${ingest_ms} ms (see the cold section) | $(verdict "$cold_in <= 0.5 * $cold_sk") |"
  echo "| warm restart: zero image blob and manifest requests upstream | $warm_img over $(plural "$reps") | $(verdict "$warm_img == 0") |"
  echo "| warm restart, $scale_images tags: in-process ≤ 100 ms | ${scale_in} ms in a new JVM$(variant_note scale-warm 5), $(median_after_first "$scale_passes") ms in a JVM that has run a pass before (image requests upstream: $scale_img) | $(verdict "$scale_in <= 100 && $scale_img == 0") |"
  echo "| checkpoint lost: zero blob bytes downloaded | max $lost_bytes bytes | $(verdict "$lost_bytes == 0") |"
  echo "| checkpoint lost: one manifest HEAD per tag ($images tags) | $lost_heads (upstream + edge) | $(verdict "$lost_heads == $images") |"
  echo "| checkpoint lost: ≤ skopeo's time | in-process ${lost_in} ms, whole process ${lost_wall} ms$(variant_note lost 4) vs skopeo ${lost_sk} ms | $(verdict "$lost_wall <= $lost_sk") (whole process) |"
  if [ "$big" = 1 ]; then
    big_heap=$(value memory ours 6 max)
    echo "| memory: peak heap independent of blob size | ${big_mib} MiB layer copied with \`-Xmx$big_xmx\`: peak heap $(awk -v b="$big_heap" 'BEGIN { printf "%.1f", b / 1048576 }') MiB, RSS $(stat memory ours 7 kib) | **met** (the copy completed) |"
  fi
  echo
  if [ "$profile" = 1 ]; then
    echo "## Profile of one cold sync (JFR, \`settings=profile\`)"
    echo
    echo "Top frames of ${hot_total:-?} \`jdk.ExecutionSample\` events (CPU time by method; threads blocked"
    echo "in I/O are not sampled):"
    echo
    echo "| samples | % | top frame |"
    echo "|---|---|---|"
    echo "$hot_spots" | awk -F'\t' 'NF == 3 { printf "| %s | %s | `%s` |\n", $1, $2, $3 }'
    echo
    echo "By package of the top frame:"
    echo
    echo "| samples | % | package |"
    echo "|---|---|---|"
    echo "$hot_packages" | awk -F'\t' 'NF == 3 { printf "| %s | %s | `%s` |\n", $1, $2, $3 }'
    echo
    echo "Waiting: reads of 10 ms or more blocked on a registry's answer (\`jdk.SocketRead\`), summed over"
    echo "threads:"
    echo
    echo "| registry | reads ≥ 10 ms | total time blocked |"
    echo "|---|---|---|"
    echo "$socket_waits"
    echo
    echo "The JIT compilers (\`jdk.CompilerStatistics\`, time of the compiler threads over the whole"
    echo "process of $(value profile ours 4 median) ms): ${jit_stats:-not recorded}. Longest compilations:"
    echo
    echo "| ms | method |"
    echo "|---|---|"
    echo "$jit_longest" | awk -F'\t' 'NF == 2 { printf "| %s | `%s` |\n", $1, $2 }'
    echo
    echo "By innermost project frame on the stack (which part of satellite-java the CPU time serves):"
    echo
    echo "| samples | % | frame |"
    echo "|---|---|---|"
    echo "$hot_project" | awk -F'\t' 'NF == 3 { printf "| %s | %s | `%s` |\n", $1, $2, $3 }'
    echo
  fi
  echo "## All runs"
  echo
  echo "Columns: wall and in-process ms, peak heap bytes, RSS KiB; upstream then edge: blob GETs, blob"
  echo "bytes, manifest GETs, manifest HEADs, blob HEADs, writes, other, state-artifact requests; CPU ms"
  echo "of the process, then of the upstream and the edge registry during the run."
  echo
  echo '```'
  printf 'scenario\ttool\trun\twall\tin-proc\theap\trss\tupstream...\tedge...\tcpu\tup-cpu\tedge-cpu\n'
  cat "$runs"
  echo '```'
} > "$output"
if [ "$link" = 1 ]; then { echo; cat "$link_section"; } >> "$output"; fi
say "results written to $output"
