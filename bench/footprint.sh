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
#   jdk25-aot-coh  the same plus compact object headers (-XX:+UseCompactObjectHeaders, JEP 519)
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
GATEWAY_OPTS="-Xms16m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m \
-XX:MaxDirectMemorySize=64m -Xss512k -XX:+ExitOnOutOfMemoryError -Dio.netty.allocator.maxOrder=7"
log() { echo "[footprint $(date -u +%H:%M:%S)] $*" >&2; }

# --- the AOT cache: a training run of the service (10 simulated devices in-process) ---------
if [ ! -f "$AOT" ] || [ "$JAR" -nt "$AOT" ]; then
  PGPORT="${ESS_TSDB_PORT:-55432}"; export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
  DB="ess_aot_train_$$"
  psql -h 127.0.0.1 -p "$PGPORT" -U ess -qtA -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
  CONF="$(mktemp /tmp/ess-aot.XXXXXX.properties)"
  {
    echo "quarkus.datasource.reactive.url=postgresql://ess:$PGPASSWORD@127.0.0.1:$PGPORT/$DB"
    echo "quarkus.http.host=127.0.0.1"; echo "quarkus.http.port=18497"
    echo "ess.simulator.enabled=true"; echo "ess.simulator.devices=10"; echo "ess.simulator.base-port=21900"
    for i in $(seq 0 9); do echo "ess.devices.T$i.host=127.0.0.1"; echo "ess.devices.T$i.port=$((21900 + i))"; done
  } >"$CONF"
  log "AOT training run (20 s) -> $AOT"
  rm -f "$AOT"
  # shellcheck disable=SC2086
  "$JDK25/bin/java" $GATEWAY_OPTS -XX:AOTCacheOutput="$AOT" -Dquarkus.config.locations="$CONF" -jar "$JAR" \
    >"$OUT/aot-training.log" 2>&1 &
  TP=$!
  sleep 20
  curl -fsS "http://127.0.0.1:18497/api/status?devices=false" | head -c 300 >&2 || true; echo >&2
  kill -TERM "$TP"
  # the JVM writes the cache on exit (JEP 514: a child JVM assembles it); bounded wait
  for _ in $(seq 1 300); do kill -0 "$TP" 2>/dev/null || break; sleep 1; done
  kill -0 "$TP" 2>/dev/null && { kill -KILL "$TP"; log "training JVM did not exit in 300 s"; }
  psql -h 127.0.0.1 -p "$PGPORT" -U ess -qtA -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null || true
  rm -f "$CONF"
  [ -f "$AOT" ] || { tail -20 "$OUT/aot-training.log" >&2; echo "no AOT cache written" >&2; exit 1; }
  log "AOT cache $(du -m "$AOT" | cut -f1) MiB"
fi

declare -A JAVA_OF OPTS_OF
JAVA_OF[jdk17]=java;                     OPTS_OF[jdk17]="$GATEWAY_OPTS"
JAVA_OF[jdk25]="$JDK25/bin/java";        OPTS_OF[jdk25]="$GATEWAY_OPTS"
JAVA_OF[jdk25-aot]="$JDK25/bin/java";    OPTS_OF[jdk25-aot]="$GATEWAY_OPTS -XX:AOTCache=$AOT"
JAVA_OF[jdk25-aot-coh]="$JDK25/bin/java"; OPTS_OF[jdk25-aot-coh]="$GATEWAY_OPTS -XX:AOTCache=$AOT -XX:+UseCompactObjectHeaders"
VARIANTS=(${VARIANTS:-jdk17 jdk25 jdk25-aot jdk25-aot-coh})

RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  for n in "${NS[@]}"; do
    for v in "${VARIANTS[@]}"; do
      log "round $round N=$n $v"
      r=$(JAVA="${JAVA_OF[$v]}" JAVA_OPTS="${OPTS_OF[$v]}" LABEL="footprint-$v" WARMUP="${WARMUP:-10}" \
        bench/ingest.sh "$n" "$T" 2>&1 >/dev/null | tail -1)
      RESULTS+=("$v $r")
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
