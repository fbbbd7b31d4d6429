#!/usr/bin/env bash
# The smallest JVM for gateways: the ingest benchmark (bench/ingest.sh) for each JVM variant,
# interleaved (variant A, B, C, D, then again) so that the shared machine's load falls on all of
# them alike.
#
#   bench/footprint.sh [N...]        default: 10 1000; T (default 60), ROUNDS (default 1)
#
# Variants (all with the recommended gateway flags, bench/ingest.sh's JAVA_OPTS):
#   jdk17          the default JDK (Debian OpenJDK 17)
#   jdk25          JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   jdk25-aot      JDK 25 with an AOT cache (JEP 483/514/515: classes loaded and linked, and
#                  method profiles, from a training run) made by this script first:
#                  -XX:AOTCacheOutput during a 20 s run of the service polling 10 simulated devices
#   jdk25-aot-coh  the same plus compact object headers (-XX:+UseCompactObjectHeaders, JEP 519),
#                  with its own cache (a cache made without compact headers is refused with them)
# Also prints the size of a jlink'ed JDK 25 runtime with the modules the service needs.
# Results: bench/results/ingest-*.json with LABEL=footprint-<variant>; a table on stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
T="${T:-60}"
ROUNDS="${ROUNDS:-1}"
NS=("${@:-10 1000}")
# shellcheck disable=SC2206
NS=(${NS[*]})
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || { echo "no $JAR: build it first" >&2; exit 2; }
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
AOT="$ROOT/target/ess-gateway-jdk25.aot"
GATEWAY_OPTS="$(grep -v '^#' "$ROOT/src/main/docker/gateway-jvm.options" | tr '\n' ' ')"
export MALLOC_ARENA_MAX=2
log() { echo "[footprint $(date -u +%H:%M:%S)] $*" >&2; }

# --- AOT caches: one training run per AOT variant, with that variant's own flags ------------
# (a cache is refused, with a warning, by a JVM whose UseCompactObjectHeaders or GC settings differ)
train() { # train <cache file> <extra JVM flags>
  local aot="$1" extra="$2"
  if [ -f "$aot" ] && [ "$aot" -nt "$JAR" ]; then return; fi
  PGPORT="${ESS_TSDB_PORT:-55432}"; export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
  local db="ess_aot_train_$$" conf port="${TRAIN_PORT:-26800}"
  psql -h 127.0.0.1 -p "$PGPORT" -U ess -qtA -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
  conf="$(mktemp /tmp/ess-aot.XXXXXX.properties)"
  {
    echo "quarkus.datasource.reactive.url=postgresql://ess:$PGPASSWORD@127.0.0.1:$PGPORT/$db"
    echo "quarkus.http.host=127.0.0.1"; echo "quarkus.http.port=0"
    echo "ess.simulator.enabled=true"; echo "ess.simulator.devices=10"; echo "ess.simulator.base-port=$port"
    for i in $(seq 0 9); do echo "ess.devices.T$i.host=127.0.0.1"; echo "ess.devices.T$i.port=$((port + i))"; done
  } >"$conf"
  log "AOT training run (20 s, 10 simulated devices in-process) -> $aot"
  rm -f "$aot"
  # shellcheck disable=SC2086
  "$JDK25/bin/java" $GATEWAY_OPTS $extra -XX:AOTCacheOutput="$aot" -Dquarkus.config.locations="$conf" -jar "$JAR" \
    >"$OUT/aot-training.log" 2>&1 &
  local tp=$!
  sleep 20
  kill -TERM "$tp"
  # the JVM writes the cache on exit (JEP 514: a child JVM assembles it); bounded wait
  for _ in $(seq 1 300); do kill -0 "$tp" 2>/dev/null || break; sleep 1; done
  kill -0 "$tp" 2>/dev/null && { kill -KILL "$tp"; log "training JVM did not exit in 300 s"; }
  psql -h 127.0.0.1 -p "$PGPORT" -U ess -qtA -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null || true
  rm -f "$conf"
  [ -f "$aot" ] || { tail -20 "$OUT/aot-training.log" >&2; echo "no AOT cache written" >&2; exit 1; }
  log "AOT cache $(du -m "$aot" | cut -f1) MiB"
}
COH="-XX:+UseCompactObjectHeaders"
AOT="$ROOT/target/ess-gateway-jdk25.aot"
AOT_COH="$ROOT/target/ess-gateway-jdk25-coh.aot"

declare -A JAVA_OF OPTS_OF
JAVA_OF[jdk17]=java;                      OPTS_OF[jdk17]="$GATEWAY_OPTS"
JAVA_OF[jdk25]="$JDK25/bin/java";         OPTS_OF[jdk25]="$GATEWAY_OPTS"
JAVA_OF[jdk25-aot]="$JDK25/bin/java";     OPTS_OF[jdk25-aot]="$GATEWAY_OPTS -XX:AOTCache=$AOT"
JAVA_OF[jdk25-aot-coh]="$JDK25/bin/java"; OPTS_OF[jdk25-aot-coh]="$GATEWAY_OPTS $COH -XX:AOTCache=$AOT_COH"
# shellcheck disable=SC2206
VARIANTS=(${VARIANTS:-jdk17 jdk25 jdk25-aot jdk25-aot-coh})
for v in "${VARIANTS[@]}"; do
  case "$v" in
    jdk25-aot) train "$AOT" "" ;;
    jdk25-aot-coh) train "$AOT_COH" "$COH" ;;
  esac
done

RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  for n in "${NS[@]}"; do
    for v in "${VARIANTS[@]}"; do
      log "round $round N=$n $v"
      RUNLOG="$OUT/footprint-N$n-$v-$(date -u +%H%M%S).log"
      if JAVA="${JAVA_OF[$v]}" JAVA_OPTS="${OPTS_OF[$v]}" LABEL="footprint-$v" WARMUP="${WARMUP:-10}" \
          bench/ingest.sh "$n" "$T" >/dev/null 2>"$RUNLOG"; then
        RESULTS+=("$v $(tail -1 "$RUNLOG")")
      else
        log "N=$n $v FAILED: $(tail -3 "$RUNLOG" | tr '\n' ' ')"
      fi
    done
  done
done
echo "| variant | N | first row after launch (ms) | Quarkus started in (s) | peak RSS (MiB) | CPU-s / M values | p99 (ms) | lost | load | other cores | JSON |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for line in "${RESULTS[@]}"; do
  v="${line%% *}"; f="${line#* }"
  jq -r --arg v "$v" '"| \($v) | \(.devices) | \(.startup.firstStoredRowMsAfterLaunch) | \(.startup.quarkusStartedInSeconds) | \(.service.peakRssMiB | round) | \(.service.cpuSecondsPerMillionValues * 1000 | round / 1000) | \(.tickToCommitMs.p99) | \(.rows.lost) | \(.machine.loadAvgAtWindowEnd) | \(.machine.otherProcessesBusyCoresAvg * 100 | round / 100) | \(input_filename | split("/") | last) |"' "$f"
done

# --- a jlink'ed runtime with the modules the service needs -------------------------------------
MODS=$("$JDK25/bin/jdeps" --ignore-missing-deps --multi-release 25 --print-module-deps -q \
  --class-path "$(find "$ROOT/target/quarkus-app/lib" -name '*.jar' | tr '\n' ':')" "$ROOT/target/quarkus-app/app/"*.jar 2>/dev/null || true)
[ -n "$MODS" ] || MODS="java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.unsupported"
MODS="$MODS,jdk.crypto.cryptoki,jdk.zipfs"
RT="$(mktemp -d /tmp/ess-jlink.XXXXXX)"
"$JDK25/bin/jlink" --add-modules "$MODS" --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$RT/jre" >&2
echo "jlink (JDK 25) modules: $MODS"
echo "jlink runtime size: $(du -sm "$RT/jre" | cut -f1) MiB; JDK 25 full: $(du -sm "$JDK25" | cut -f1) MiB"
rm -rf "$RT"
