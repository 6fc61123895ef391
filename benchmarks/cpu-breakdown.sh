#!/usr/bin/env bash
# Where a process's CPU time went, by component, from a JFR recording (settings=profile):
#
#   benchmarks/cpu-breakdown.sh RECORDING.jfr [PROCESS_MS [COMPILER_MS GC_MS VM_MS JFR_MS [KERNEL_MS]]]
#
# Java code: each jdk.ExecutionSample (one every 10 ms per thread running Java code, with the
# profile settings) is charged to one component, found by walking its stack from the top frame
# down to the first frame a rule below names; generic JDK and Kotlin frames (java.*, jdk.*, sun.*,
# kotlin.*) are skipped unless a rule names them, so a String or HashMap operation is charged to
# whoever called it. A stack with class loading, linking or static initialisation anywhere on it
# is charged to "class loading and linking" first. Samples x 10 ms gives the milliseconds.
# The JVM's own threads: the CPU time measured for them over the same interval when given
# (RepeatedSync's "recordedCpuMillis", from /proc), else the growth of jdk.CompilerStatistics'
# totalTimeSpent (elapsed, not CPU, time of the compilations) and the jdk.GarbageCollection pauses.
# Given the process's CPU time, what its application threads used beyond their Java samples is
# time JFR does not sample: in the kernel (KERNEL_MS, the application threads' system time:
# socket and file system calls), and the rest in native code and in the JIT's intrinsic stubs
# (SHA-256 among them: a sample whose top frame is a stub is dropped).
#
# Prints a Markdown table; needs `jfr` (the JDK's) on PATH.
set -euo pipefail

recording=${1:?usage: cpu-breakdown.sh RECORDING.jfr [PROCESS_MS [COMPILER_MS GC_MS VM_MS JFR_MS [KERNEL_MS]]]}
process_cpu=${2:-}
measured=${3:+yes}
compiler_ms=${3:-} gc_ms=${4:-0} vm_ms=${5:-0} jfr_ms=${6:-0} kernel_ms=${7:-}
period_ms=10

# milliseconds of a JFR duration ("12.5 ms", "1.02 s", "850 us", "300 ns")
to_ms='function ms(v, u) { return (u == "s") ? v * 1000 : (u == "ms") ? v : (u == "us") ? v / 1000 : (u == "ns") ? v / 1000000 : v * 60000 }'

java_rows=$(jfr print --stack-depth 64 --events jdk.ExecutionSample "$recording" | awk -v period="$period_ms" '
  function component(frame) {
    if (frame ~ /^(sun\.security\.provider\.(SHA|DigestBase|ByteArrayAccess)|java\.security\.MessageDigest)/) return "hashing (SHA-256)"
    if (frame ~ /^(sun\.security\.ssl\.|com\.sun\.crypto\.|javax\.crypto\.|sun\.security\.)/) return "TLS"
    if (frame ~ /^(sun\.nio\.ch\.(Net|IOUtil|SocketDispatcher|NioSocketImpl|SocketChannelImpl)|java\.net\.)/) return "socket reads and writes (Java side)"
    if (frame ~ /^(sun\.nio\.ch\.FileChannelImpl|sun\.nio\.ch\.FileDispatcher|java\.io\.(File|RandomAccessFile)|sun\.nio\.fs\.|java\.nio\.file\.)/) return "file I/O (checkpoint, upload journal)"
    if (frame ~ /^(okio\.|java\.lang\.System\.arraycopy|jdk\.internal\.misc\.Unsafe\.copy|java\.util\.Arrays\.copyOf|java\.io\.(ByteArray|Buffered))/) return "copying between buffers"
    if (frame ~ /^okhttp3\./) return "HTTP framing (OkHttp)"
    if (frame ~ /^com\.fasterxml\.jackson\./) return "JSON (Jackson)"
    if (frame ~ /^(ch\.qos\.logback\.|org\.slf4j\.)/) return "logging"
    if (frame ~ /^(java\.util\.concurrent\.|jdk\.internal\.misc\.Unsafe\.(park|unpark)|java\.lang\.Thread\.)/) return "thread hand-offs (queues, locks, pools)"
    if (frame ~ /^picocli\./) return "command line (picocli)"
    if (frame ~ /^dev\.satellite\./) return "satellite-java'"'"'s own code"
    return ""
  }
  /stackTrace = \[/ { inside = 1; found = ""; loading = 0; next }
  inside && /^[ \t]*\]/ {
    inside = 0
    key = loading ? "class loading, linking, static initialisation" : (found != "" ? found : "other JDK code")
    count[key]++; total++
    next
  }
  inside {
    frame = $0; sub(/^[ \t]+/, "", frame); sub(/[ \t]+line:.*$/, "", frame)
    if (frame ~ /^(java\.lang\.ClassLoader\.(loadClass|defineClass)|jdk\.internal\.loader\.|java\.lang\.invoke\.(MethodHandleNatives\.link|InnerClassLambdaMetafactory|BootstrapMethodInvoker|InvokerBytecodeGenerator)|java\.lang\.Class\.forName)/ || frame ~ /\.<clinit>\(/) loading = 1
    if (found == "") found = component(frame)
  }
  END { for (k in count) printf "%d\t%d\t%s\n", count[k] * period, count[k], k }' | sort -t$'\t' -k1,1nr)

java_ms=$(echo "$java_rows" | awk -F'\t' '{ s += $1 } END { print s + 0 }')
if [ -z "$measured" ]; then
  compiler_ms=$(jfr print --events jdk.CompilerStatistics "$recording" | awk "$to_ms"'
    /totalTimeSpent = / { t = ms($3, $4); if (first == "") first = t; last = t }
    END { printf "%.0f", (first == "") ? 0 : last - first }')
  gc_ms=$(jfr print --events jdk.GarbageCollection "$recording" | awk "$to_ms"'
    /sumOfPauses = / { s += ms($3, $4) } END { printf "%.0f", s }')
fi
span_ms=$(jfr summary "$recording" | awk "$to_ms"'/^ Duration: / { printf "%.0f", ms($2, $3) }')

all=${process_cpu:-$(( java_ms + compiler_ms + gc_ms + vm_ms + jfr_ms ))}
share() { awk -v v="$1" -v t="$all" 'BEGIN { if (t > 0) printf "%.0f %%", 100 * v / t; else print "—" }'; }
echo "| component | CPU ms | share | how counted |"
echo "|---|---|---|---|"
echo "$java_rows" | while IFS=$'\t' read -r ms samples name; do
  [ -n "$name" ] && echo "| $name | $ms | $(share "$ms") | $samples Java samples |"
done
if [ -n "$process_cpu" ]; then
  native=$(( process_cpu - java_ms - compiler_ms - gc_ms - vm_ms - jfr_ms ))
  if [ -n "$kernel_ms" ]; then
    echo "| application threads in the kernel (socket and file system calls) | $kernel_ms | $(share "$kernel_ms") | /proc, system time |"
    native=$(( native - kernel_ms ))
    echo "| application threads in native code and intrinsic stubs (not sampled) | $native | $(share "$native") | the rest of the application threads' time |"
  else
    echo "| native and kernel time of the application's threads (system calls) | $native | $(share "$native") | process − Java samples − JVM threads |"
  fi
fi
if [ -n "$measured" ]; then
  echo "| JIT compiler threads | $compiler_ms | $(share "$compiler_ms") | /proc, C1/C2 CompilerThread |"
  echo "| collector threads | $gc_ms | $(share "$gc_ms") | /proc, GC Thread, G1 * |"
  echo "| other JVM threads (VM Thread: safepoints, a serial collector) | $vm_ms | $(share "$vm_ms") | /proc, VM *, Service Thread |"
  echo "| Flight Recorder itself | $jfr_ms | $(share "$jfr_ms") | /proc, JFR * |"
else
  echo "| JIT compilations (elapsed) | $compiler_ms | $(share "$compiler_ms") | jdk.CompilerStatistics |"
  echo "| collector pauses (elapsed) | $gc_ms | $(share "$gc_ms") | jdk.GarbageCollection |"
fi
[ -n "$process_cpu" ] && echo "| **process CPU** | **$process_cpu** | 100 % | given |"
echo
echo "Recording: ${span_ms} ms long; Java samples: $((java_ms / period_ms)) ($java_ms ms)."
