#!/usr/bin/env bash
# The spool's own CPU and allocation per operation1 cycle (no database, no network):
# bench/spool/SpoolAppendBench.java, run RUNS times, each in its own JVM, then the median.
#
#   bench/spool-append.sh [CYCLES [WARMUP]]      defaults 200000 50000
#
# Compiles the service's main classes (mvnw compile) and runs the benchmark as a single-file
# source program on their runtime classpath with the recommended gateway flags (C1 only, serial
# GC: allocations are not optimised away, as in production). Knobs: RUNS [3], JAVA [java],
# JAVA_OPTS. One JSON line per run and the medians go to stdout; a summary to
# bench/results/spool-append-<UTC time>.json.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
CYCLES="${1:-200000}"
WARMUP="${2:-50000}"
RUNS="${RUNS:-3}"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:--Xms16m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k}"
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 2; }

./mvnw -B -ntp -q compile
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=runtime >/dev/null
CP="target/classes:$(cat target/bench-cp.txt)"

mkdir -p bench/results
OUT="bench/results/spool-append-$(date -u +%Y%m%dT%H%M%SZ).json"
LINES="$(mktemp)"
trap 'rm -f "$LINES"' EXIT
for i in $(seq 1 "$RUNS"); do
  # shellcheck disable=SC2086
  "$JAVA" $JAVA_OPTS -cp "$CP" bench/spool/SpoolAppendBench.java "$CYCLES" "$WARMUP" | tee -a "$LINES"
done
jq -s --arg commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+dirty')" '
  def median(f): map(f) | sort | .[(length - 1) / 2 | floor];
  {commit: $commit, runs: ., median: {
     codecCpuNsPerCycle: median(.codecCpuNsPerCycle), codecAllocBytesPerCycle: median(.codecAllocBytesPerCycle),
     spoolThreadCpuNsPerCycle: median(.spoolThreadCpuNsPerCycle),
     spoolThreadAllocBytesPerCycle: median(.spoolThreadAllocBytesPerCycle), wallNsPerCycle: median(.wallNsPerCycle)}}' \
  "$LINES" > "$OUT"
jq -c '{commit, median}' "$OUT"
echo "written: $OUT" >&2
