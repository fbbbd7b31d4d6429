#!/usr/bin/env bash
# The scale table of BENCHMARKS.md: bench/ingest.sh for each device count, one after another, and
# one markdown row per run (rows lost, tick→commit p99, each process's cores and CPU-s per million
# stored values, the service's peak RSS, its log lines from launch, devices ever offline).
#
#   bench/scale.sh [N...]        default: 10 100 1000 2500 4000 5000; T (default 60) seconds each
#
# Everything (simulator, service, TimescaleDB) shares this machine's cores, as ingest.sh says; a
# run that fails (e.g. not every device connected in time) is reported as FAILED with its reason.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
T="${T:-60}"
# shellcheck disable=SC2206
NS=(${@:-10 100 1000 2500 4000 5000})
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
ROWS=()
for n in "${NS[@]}"; do
  RUNLOG="$OUT/scale-N$n-$(date -u +%H%M%S).log"
  echo "[scale $(date -u +%H:%M:%S)] N=$n T=$T" >&2
  if LABEL="scale" bench/ingest.sh "$n" "$T" >"$RUNLOG.out" 2>"$RUNLOG"; then
    ROWS+=("$(tail -1 "$RUNLOG")")
  else
    ROWS+=("FAILED $n $(grep -v '^\[ingest' "$RUNLOG" | tail -2 | tr '\n' ' ')")
  fi
done
echo "| N | rows lost | p99 tick→commit (ms) | service cores | simulator cores | database cores | service CPU-s / M values | all three CPU-s / M values | peak RSS (MiB) | log lines from launch | devices ever offline | JSON |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for r in "${ROWS[@]}"; do
  case "$r" in
    FAILED*) set -- $r; echo "| $2 | run failed: ${*:3} |||||||||||" ;;
    *) jq -r '(.rates.valuesStoredPerSec * .windowSeconds / 1e6) as $mv |
      "| \(.devices) | \(.rows.lost) of \(.rows.expected) | \(.tickToCommitMs.p99) | \(.service.cpuCoresAvg * 100 | round / 100) | \(.simulator.cpuCoresAvg * 100 | round / 100) | \(.database.cpuCoresAvg * 100 | round / 100) | \(.service.cpuSecondsPerMillionValues * 1000 | round / 1000) | \(((.service.cpuSeconds + .simulator.cpuSeconds + .database.backendCpuSeconds) / $mv) * 1000 | round / 1000) | \(.service.peakRssMiB | round) | \(.serviceLog.linesFromLaunch) | \(.devicesEverOffline) | \(input_filename | split("/") | last) |"' "$r" ;;
  esac
done
