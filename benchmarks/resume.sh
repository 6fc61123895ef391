# Sourced by run.sh after the memory run, whose big layer it copies again: a cold copy is
# SIGKILLed once the edge holds half the layer, then a new process finishes it; once with the
# upload journal (the default of satellite sync) and once with --no-resume (a restart from zero). The
# upstream's access log says how many blob bytes the restart fetched again.
#
# resume.tsv columns: 1 mode 2 rep 3 edge bytes at the kill 4 restart's upstream blob bytes
#   5 restart wall ms 6 restart's bytesResumed (from its report)
resume_tsv="$work/resume.tsv"
: > "$resume_tsv"

# edge_upload_bytes EDGE: bytes held by the edge's open upload sessions
edge_upload_bytes() {
  find "${reg_storage[$1]}" -path '*/_uploads/*/data' -printf '%s\n' 2>/dev/null \
    | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# resume_run MODE REP: MODE is journal or no-resume
resume_run() {
  local mode=$1 rep=$2 edge="resume-$1-$2" base="$work/runs/resume-$1-$2" options=()
  local pid half killed mark start wall status=0
  [ "$mode" = no-resume ] && options=(--no-resume)
  start_registry "$edge"
  # shellcheck disable=SC2086
  java $java_opts -cp "$jar" dev.satellite.cli.SatelliteCommand sync --state "$big_state" \
    --destination "$(url "$edge")" --checkpoint "$base.json" "${options[@]}" --json \
    > "$base.first.out" 2> "$base.first.err" &
  pid=$!
  half=$((big_mib * 1024 * 1024 / 2))
  until [ "$(edge_upload_bytes "$edge")" -ge "$half" ]; do
    kill -0 "$pid" 2> /dev/null \
      || failed_run "resume $mode run $rep: the copy ended before half the layer" \
        "$base.first.out" "$base.first.err"
    sleep 0.01
  done
  killed=$(edge_upload_bytes "$edge")
  kill -9 "$pid"
  wait "$pid" 2> /dev/null || true
  sleep 0.5 # the upstream logs the cut download once it notices
  mark=$(log_mark upstream)
  start=$(now_ms)
  # shellcheck disable=SC2086
  java $java_opts -cp "$jar" dev.satellite.cli.SatelliteCommand sync --state "$big_state" \
    --destination "$(url "$edge")" --checkpoint "$base.json" "${options[@]}" --json \
    > "$base.out" 2> "$base.err" || status=$?
  wall=$(($(now_ms) - start))
  if [ "$status" != 0 ] || ! grep -q '"ok":true' "$base.out"; then
    failed_run "resume $mode run $rep: the restart (exit $status)" "$base.out" "$base.err"
  fi
  sleep 0.2
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$rep" "$killed" \
    "$(count_requests "${reg_log[upstream]}" "$mark" | cut -f2)" "$wall" \
    "$(grep -o '"bytesResumed":[0-9]*' "$base.out" | head -n 1 | cut -d: -f2)" >> "$resume_tsv"
  echo "  resume $mode #$rep: killed at $killed edge bytes; restart took ${wall} ms" >&2
  stop_registry "$edge"
}

resume_runs() {
  local rep
  say "resume: kill a copy of the ${big_mib} MiB layer at half, restart ($reps runs each)"
  for rep in $(seq 1 "$reps"); do
    resume_run journal "$rep"
    resume_run no-resume "$rep"
  done
}

# resume_values MODE COLUMN: the values of a resume.tsv column for MODE, sorted
resume_values() { awk -F'\t' -v m="$1" -v c="$2" '$1 == m { print $c }' "$resume_tsv" | sort -n; }

# resume_cell MODE COLUMN: median MiB and % of the layer, with the range when runs differ
resume_cell() {
  resume_values "$1" "$2" | awk -v layer=$((big_mib * 1024 * 1024)) '
    { v[NR] = $1 }
    END {
      med = v[int((NR + 1) / 2)]
      printf "%.1f MiB (%.1f%% of the layer", med / 1048576, 100 * med / layer
      if (v[1] != v[NR]) printf "; runs %.1f–%.1f%%", 100 * v[1] / layer, 100 * v[NR] / layer
      printf ")"
    }'
}

resume_ms() { resume_values "$1" 5 | awk '{ v[NR] = $1 } END { printf "%d ms", v[int((NR + 1) / 2)] }'; }

resume_section() {
  echo "## Resume: a copy killed at half a ${big_mib} MiB layer ($(plural "$reps") each)"
  echo
  echo "A cold \`satellite sync\` of the memory run's layer is SIGKILLed once the edge holds half of it (its"
  echo "open upload sessions, on disk), then run again to completion. Bytes are counted in the"
  echo "upstream's access log; medians, with the range over the runs."
  echo
  echo "| | with the upload journal (default) | restart from zero (\`--no-resume\`) |"
  echo "|---|---|---|"
  echo "| edge held at the kill | $(resume_cell journal 3) | $(resume_cell no-resume 3) |"
  echo "| **upstream blob bytes re-transferred by the restart** | $(resume_cell journal 4) | $(resume_cell no-resume 4) |"
  echo "| restart wall time (new JVM) | $(resume_ms journal) | $(resume_ms no-resume) |"
  echo
  echo "The journal's restart fetches only what the killed process had not spooled; the edge session"
  echo "itself is usually lost (CNCF Distribution refuses a session whose last chunk was cut off),"
  echo "so the restart uploads the layer to the edge again from the local spool."
  echo
}
