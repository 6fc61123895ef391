# Sourced by run.sh (after the main data set is seeded): the same copies on an emulated slow,
# flaky link (LinkEmulator, a user-space relay in front of the upstream registry), ours against
# `skopeo sync`, plus the 1,000-tag data set cold with skopeo and a long-running agent's cold pass
# against skopeo. Writes the section "Edge links" to $link_section.
#
# link.tsv columns: 1 scenario 2 tool 3 finished (yes/no/timeout) 4 wall ms 5 bytes the link
#   carried to the client 6 drops 7 floor ms (distinct bytes of the data set / link rate)
link_tsv="$work/link.tsv"
: > "$link_tsv"
link_section="$work/link-section.md"
# scenario (c) is given this multiple of its link floor before it counts as not finished
link_limit_factor=2.5
# ours: defaults of satellite sync (upload journal for blobs >= 64 MiB in 16 MiB chunks, 3 tries per
# blob, 4 retries / resumes without progress per request); skopeo: its defaults, then
# --retry-times 3 as well
skopeo_link_retries=3

# start_link NAME MBIT RTT_MS DROP_MIB DROP_S: a LinkEmulator in front of the upstream
start_link() {
  local name=$1 port
  link_stats="$work/link-$name.stats"
  port=$(free_port)
  java -cp "$jar" dev.satellite.benchmarks.LinkEmulator --target "$(hostport upstream)" \
    --listen "$port" --rate-mbit "$2" --rtt-ms "$3" --drop-every-mib "$4" --drop-every-s "$5" \
    --stats "$link_stats" > "$work/link-$name.out" 2>&1 &
  link_pid=$!
  pids+=("$link_pid")
  for _ in $(seq 1 100); do
    port_open "$port" && { link_port=$port; return; }
    sleep 0.1
  done
  die "link emulator $name did not start ($(cat "$work/link-$name.out"))"
}
stop_link() { # prints "down drops" as the emulator counted them
  kill "$link_pid" 2>/dev/null || true
  wait "$link_pid" 2>/dev/null || true
  awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END { printf "%s\t%s\n", v["down"], v["drops"] }' "$link_stats"
}

# link_ours SCENARIO STATE EDGE LIMIT_S FLOOR_MS [options]: satellite sync through the link
link_ours() {
  local scenario=$1 state_ref=$2 edge=$3 limit=$4 floor=$5; shift 5
  local base="$work/runs/link-$scenario-ours" start wall status=0 finished path=${state_ref#*://}
  mkdir -p "$work/runs"
  start=$(now_ms)
  # shellcheck disable=SC2086
  timeout "$limit" java $java_opts -cp "$jar" dev.satellite.cli.SatelliteCommand sync \
    --state "http://127.0.0.1:$link_port/${path#*/}" --host-override "127.0.0.1:$link_port" \
    --destination "$(url "$edge")" --checkpoint "$base.json" --json "$@" \
    > "$base.out" 2> "$base.err" || status=$?
  wall=$(( $(now_ms) - start ))
  finished=yes
  [ "$status" = 124 ] && finished=timeout
  [ "$status" != 0 ] && [ "$status" != 124 ] && finished=no
  printf '%s\tours\t%s\t%s\t%s\t%s\n' "$scenario" "$finished" "$wall" "$(stop_link)" "$floor" >> "$link_tsv"
  echo "  $scenario satellite-java: ${wall} ms ($finished)" >&2
}

# link_skopeo SCENARIO TOOL YAML EDGE LIMIT_S FLOOR_MS [skopeo options]
link_skopeo() {
  local scenario=$1 tool=$2 yaml=$3 edge=$4 limit=$5 floor=$6; shift 6
  local base="$work/runs/link-$scenario-$tool" start wall status=0 finished
  sed "s/^$(hostport upstream):/127.0.0.1:$link_port:/" "$yaml" > "$base.yaml"
  start=$(now_ms)
  timeout "$limit" skopeo sync --all --src yaml --dest docker --dest-tls-verify=false "$@" \
    "$base.yaml" "$(hostport "$edge")" > "$base.out" 2>&1 || status=$?
  wall=$(( $(now_ms) - start ))
  finished=yes
  [ "$status" = 124 ] && finished=timeout
  [ "$status" != 0 ] && [ "$status" != 124 ] && finished=no
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$tool" "$finished" "$wall" "$(stop_link)" "$floor" >> "$link_tsv"
  echo "  $scenario $tool: ${wall} ms ($finished)" >&2
}

# link_pair SCENARIO MBIT RTT DROP_MIB DROP_S STATE YAML DISTINCT_BYTES LIMIT_S: every tool
link_pair() {
  local scenario=$1 mbit=$2 rtt=$3 drop_mib=$4 drop_s=$5 state_ref=$6 yaml=$7 bytes=$8 limit=$9
  local floor edge
  floor=$(awk -v b="$bytes" -v m="$mbit" 'BEGIN { printf "%.0f", b * 8 / (m * 1000) }')
  for tool in ours skopeo skopeo-retry; do
    edge="link-$scenario-$tool"
    start_registry "$edge"
    start_link "$scenario-$tool" "$mbit" "$rtt" "$drop_mib" "$drop_s"
    case $tool in
      ours) link_ours "$scenario" "$state_ref" "$edge" "$limit" "$floor" ;;
      skopeo) link_skopeo "$scenario" skopeo "$yaml" "$edge" "$limit" "$floor" ;;
      skopeo-retry) link_skopeo "$scenario" "skopeo --retry-times $skopeo_link_retries" "$yaml" \
        "$edge" "$limit" "$floor" --retry-times "$skopeo_link_retries" ;;
    esac
    stop_registry "$edge"
  done
}

# the cap: satellite sync --max-bandwidth through a link with no limit of its own, the link's byte
# count sampled every second; rates over every 5 s window after the first 5 s
link_cap() {
  local cap_mib=$1 edge=link-cap sampler
  start_registry "$edge"
  start_link cap 100000 0 0 0
  : > "$work/link-cap.samples"
  ( while sleep 1; do echo "$(now_ms) $(awk '{ split($1, kv, "="); print kv[2] }' "$link_stats")"; done ) \
    >> "$work/link-cap.samples" &
  sampler=$!
  link_ours cap "$state" "$edge" 600 0 --max-bandwidth "${cap_mib}MiB/s"
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  stop_registry "$edge"
  # windows of 5 samples, from 5 s after the first byte ("once under way") while bytes flowed
  link_cap_rates=$(awk -v cap="$((cap_mib * 1048576))" '
    { t[NR] = $1; b[NR] = $2; if (first == "" && $2 > 0) first = NR; if (NR > 1 && $2 > b[NR - 1]) last = NR }
    END {
      for (i = first + 5; i + 5 <= NR; i++) {
        if (b[i + 5] == b[NR]) break
        r = (b[i + 5] - b[i]) * 1000 / (t[i + 5] - t[i])
        if (min == "" || r < min) min = r
        if (max == "" || r > max) max = r
        n++
      }
      if (n == 0) { print "—"; exit }
      printf "%d windows of 5 s: %.2f to %.2f MiB/s (%+.1f %% to %+.1f %% of the cap), %.2f MiB/s over the whole transfer",
        n, min / 1048576, max / 1048576, (min / cap - 1) * 100, (max / cap - 1) * 100,
        (b[last] - b[first]) * 1000 / (t[last] - t[first]) / 1048576
    }' "$work/link-cap.samples")
  echo "  cap: $link_cap_rates" >&2
}

link_runs() {
  local main_bytes big_bytes big_state_link limit_c
  main_bytes=$(( (base_mib + images * layers * layer_mib) * 1048576 ))
  say "edge links (a): 20 Mbit/s, 40 ms round trip, no drops"
  link_pair a 20 40 0 0 "$state" "$work/skopeo-sync.yaml" "$main_bytes" 1800
  say "edge links (b): 20 Mbit/s, 40 ms, a drop every 30 s"
  link_pair b 20 40 0 30 "$state" "$work/skopeo-sync.yaml" "$main_bytes" 1800
  say "edge links (c): one ${link_big_mib} MiB layer at 50 Mbit/s, 40 ms, a drop every 64 MiB"
  seed link-big --prefix bench/linkbig --count 1 --tags 1 --base-kib 0 --layers 1 \
    --layer-kib $((link_big_mib * 1024)) > /dev/null
  big_state_link=$(publish bench-link-big link-big 1)
  {
    echo "$(hostport upstream):"
    echo "  tls-verify: false"
    echo "  images:"
    awk '{ split($1, rt, ":"); printf "    %s: [%s]\n", rt[1], rt[2] }' "$work/link-big.txt"
  } > "$work/skopeo-link-big.yaml"
  big_bytes=$((link_big_mib * 1048576))
  limit_c=$(awk -v b="$big_bytes" -v f="$link_limit_factor" 'BEGIN { printf "%.0f", b * 8 / 50e6 * f }')
  link_c_limit=$limit_c
  link_pair c 50 40 64 0 "$big_state_link" "$work/skopeo-link-big.yaml" "$big_bytes" "$limit_c"

  say "bandwidth cap: satellite sync --max-bandwidth ${link_cap_mib}MiB/s"
  link_cap "$link_cap_mib"

  say "scale cold with skopeo: $((scale_repos * scale_tags)) tags on loopback"
  if [ -z "${scale_state:-}" ]; then
    seed scale --prefix bench/scale --count "$scale_repos" --tags "$scale_tags" --base-kib 0 \
      --layers 1 --layer-kib "$scale_layer_kib" > /dev/null
    scale_state=$(publish bench-scale scale "$scale_groups")
  fi
  link_scale_state=$scale_state
  {
    echo "$(hostport upstream):"
    echo "  tls-verify: false"
    echo "  images:"
    awk '{ split($1, rt, ":"); tags[rt[1]] = tags[rt[1]] sep[rt[1]] rt[2]; sep[rt[1]] = ", " }
      END { for (r in tags) printf "    %s: [%s]\n", r, tags[r] }' "$work/scale.txt"
  } > "$work/skopeo-scale.yaml"
  for rep in $(seq 1 "$reps"); do
    start_registry "scale-cold-ours-$rep"
    ours scale-cold "$rep" "scale-cold-ours-$rep" "$work/checkpoint-scale-cold-$rep.json" "$link_scale_state"
    stop_registry "scale-cold-ours-$rep"
    start_registry "scale-cold-skopeo-$rep"
    run_marks upstream "scale-cold-skopeo-$rep"
    local base="$work/runs/scale-cold-skopeo-$rep" start wall status=0
    start=$(now_ms)
    /usr/bin/time -v -o "$base.time" skopeo sync --all --src yaml --dest docker \
      --dest-tls-verify=false "$work/skopeo-scale.yaml" "$(hostport "scale-cold-skopeo-$rep")" \
      > "$base.out" 2>&1 || status=$?
    wall=$(( $(now_ms) - start ))
    [ "$status" = 0 ] || failed_run "skopeo scale-cold run $rep (exit $status)" "$base.out"
    record scale-cold skopeo "$rep" "$wall" - - "$base.time" upstream "scale-cold-skopeo-$rep"
    echo "  scale-cold skopeo #$rep: ${wall} ms" >&2
    stop_registry "scale-cold-skopeo-$rep"
  done

  say "agent: a cold pass in a JVM that has run one, against skopeo ($reps runs)"
  link_agent_passes=""
  for rep in $(seq 1 "$reps"); do
    start_registry "agent-first-$rep"; start_registry "agent-second-$rep"
    java $java_opts -cp "$jar" dev.satellite.benchmarks.RepeatedSync 2 \
      --fresh-edges "$(url "agent-second-$rep")" --state "$state" \
      --destination "$(url "agent-first-$rep")" --checkpoint "$work/checkpoint-agent-$rep.json" \
      > "$work/runs/agent-$rep.out" 2> "$work/runs/agent-$rep.err" \
      || failed_run "agent passes $rep" "$work/runs/agent-$rep.err"
    link_agent_passes+="$(grep -o '"passMillis":\[[0-9, ]*\]' "$work/runs/agent-$rep.out" \
      | tr -dc '0-9,' | cut -d, -f2) "
    stop_registry "agent-first-$rep"; stop_registry "agent-second-$rep"
    start_registry "agent-skopeo-$rep"
    skopeo_sync agent-cold "$rep" "agent-skopeo-$rep"
    stop_registry "agent-skopeo-$rep"
  done
  echo "  agent second passes: $link_agent_passes ms" >&2
  link_report > "$link_section"
}

link_report() {
  local mbit
  echo "<!-- link:begin -->"
  echo "## Edge links: a slow, flaky link (run of $started_at, \`$command_line\`)"
  echo
  echo "Machine: $(nproc) cores ($cpu_model), shared; load average $load_start at the start of the"
  echo "run, $(cut -d' ' -f1-3 /proc/loadavg) at the end of the link scenarios. The link runs are bound by the"
  echo "link, not the CPU. skopeo $(skopeo --version | awk '{ print $3 }'). One run per tool and scenario."
  echo
  echo "The link is \`LinkEmulator\` (satellite-benchmarks) in front of the upstream registry:"
  echo "a user-space TCP relay holding each direction to the rate (one token bucket for all"
  echo "connections, a burst of a tenth of a second), adding half the round trip each way, and"
  echo "dropping every open connection every N MiB it carried to the client or every N s. The bytes"
  echo "column is what it delivered to the client (as an access log at the client's end counts), drops"
  echo "included. The floor is the data set's distinct blob bytes ÷ the link's rate."
  echo
  echo "Retry settings, each tool's defaults: satellite-java \`satellite sync\` as shipped (a dropped blob"
  echo "download resumes with \`Range\`, giving up after 4 drops in a row without progress; 3 tries per"
  echo "blob; blobs of 64 MiB and more go through the upload journal, 16 MiB chunks); skopeo"
  echo "\`--retry-times 0\` (its default: no retry), and a second skopeo row with \`--retry-times"
  echo "$skopeo_link_retries\` (each retry starts the image's copy again, blobs from byte 0)."
  echo "Scenario (c) is stopped after $link_limit_factor × its floor (${link_c_limit} s) and then counts as not finished."
  echo
  echo "| scenario | tool | finished | wall | bytes over the link | drops | floor | wall ÷ floor |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    BEGIN { d["a"] = "(a) 20 Mbit/s, 40 ms"; d["b"] = "(b) 20 Mbit/s, 40 ms, drop every 30 s"
            d["c"] = "(c) 1 layer, 50 Mbit/s, 40 ms, drop every 64 MiB" }
    $1 != "cap" {
      printf "| %s | %s | %s | %.1f s | %.1f MiB | %d | %.1f s | %s |\n", d[$1], ($2 == "ours" ? "satellite-java" : $2), $3,
        $4 / 1000, $5 / 1048576, $6, $7 / 1000, ($3 == "yes" ? sprintf("%.2f×", $4 / $7) : "—")
    }' "$link_tsv"
  echo
  echo "Bandwidth cap: \`satellite sync --max-bandwidth ${link_cap_mib}MiB/s\` of the default data set through"
  echo "the emulator with no limit of its own, its byte count sampled every second: $link_cap_rates."
  echo
  echo "### 1,000 tags cold, skopeo included (loopback, $reps runs)"
  echo
  echo "| tool | wall (median, range) | upstream blob GETs | upstream manifest GETs | CPU |"
  echo "|---|---|---|---|---|"
  for tool in ours skopeo; do
    echo "| $([ $tool = ours ] && echo satellite-java || echo skopeo) | $(stat scale-cold $tool 4 ms) | $(value scale-cold $tool 8 median) | $(value scale-cold $tool 10 median) | $(stat scale-cold $tool 24 ms) |"
  done
  echo
  echo "### A long-running agent's cold pass against skopeo (default data set, loopback)"
  echo
  echo "The second pass of \`RepeatedSync 2 --fresh-edges\` (a cold sync to a fresh edge in a JVM that"
  echo "has run one), in-process ms per run: $link_agent_passes; median $(echo "$link_agent_passes" | tr ' ' '\n' | grep . | median) ms."
  echo "\`skopeo sync\` of the same images to a fresh edge, whole process: $(stat agent-cold skopeo 4 ms)."
  echo "<!-- link:end -->"
}
