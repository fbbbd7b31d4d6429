#!/usr/bin/env bash
# A dynamic AppCDS archive of the service, for JDK 17 to 23 (JDK 24 and newer have the AOT cache,
# docs/deployment.md): the classes a polling service loads, parsed and verified once and mapped
# from the archive by later starts instead of being loaded from the jars again.
#
#   bench/appcds.sh ARCHIVE          e.g. bench/appcds.sh target/ess-gateway-jdk17.jsa
#
# One training run: the service with JAVA_OPTS (default: the gateway flags) polls TRAIN_DEVICES
# (default 10) devices of its in-process simulator against a fresh database on the bench's
# TimescaleDB for TRAIN_SECONDS (default 15), then gets SIGTERM; the JVM writes the archive as it
# exits (-XX:ArchiveClassesAtExit). Later runs add -XX:SharedArchiveFile=ARCHIVE.
# The archive belongs to this JVM build and these jars: it is made again when a jar of
# target/quarkus-app is newer, and a JVM that finds other jars or is another build ignores it
# with a warning and starts without it. Used by bench/ingest.sh (CDS=1, the default, on JDK < 24).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ARCHIVE="${1:?usage: bench/appcds.sh ARCHIVE}"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || { echo "no $JAR: build it first" >&2; exit 2; }
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:-$(grep -v '^#' "$ROOT/src/main/docker/gateway-jvm.options" | tr '\n' ' ')}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
DEVICES="${TRAIN_DEVICES:-10}"
SECONDS_="${TRAIN_SECONDS:-15}"
PORT="${TRAIN_PORT:-26900}"
log() { echo "[appcds $(date -u +%H:%M:%S)] $*" >&2; }

if [ -f "$ARCHIVE" ] && [ -z "$(find "$ROOT/target/quarkus-app" -name '*.jar' -newer "$ARCHIVE" | head -1)" ]; then
  exit 0
fi
PGPORT="${ESS_TSDB_PORT:-55432}"; export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
psql_q() { psql -h 127.0.0.1 -p "$PGPORT" -U ess -v ON_ERROR_STOP=1 -qtA -d postgres "$@"; }
DB="ess_cds_train_$$"
CONF="$(mktemp /tmp/ess-appcds.XXXXXX.properties)"
TRAIN_LOG="$(mktemp /tmp/ess-appcds.XXXXXX.log)"
PID=""
cleanup() {
  [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
  psql_q -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -f "$CONF"
}
trap cleanup EXIT
psql_q -c "CREATE DATABASE \"$DB\"" >/dev/null
{
  echo "quarkus.datasource.reactive.url=postgresql://ess:$PGPASSWORD@127.0.0.1:$PGPORT/$DB"
  echo "quarkus.http.host=127.0.0.1"; echo "quarkus.http.port=0"
  echo "ess.simulator.enabled=true"; echo "ess.simulator.devices=$DEVICES"; echo "ess.simulator.base-port=$PORT"
  for i in $(seq 0 $((DEVICES - 1))); do echo "ess.devices.T$i.host=127.0.0.1"; echo "ess.devices.T$i.port=$((PORT + i))"; done
} >"$CONF"
log "training run (${SECONDS_} s, $DEVICES simulated devices in-process) -> $ARCHIVE"
mkdir -p "$(dirname "$ARCHIVE")"
rm -f "$ARCHIVE"
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -XX:ArchiveClassesAtExit="$ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -Dquarkus.config.locations="$CONF" -jar "$JAR" >"$TRAIN_LOG" 2>&1 &
PID=$!
sleep "$SECONDS_"
kill -TERM "$PID"
for _ in $(seq 1 120); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
kill -0 "$PID" 2>/dev/null && { log "training JVM did not exit in 60 s"; }
PID=""
[ -s "$ARCHIVE" ] || { tail -20 "$TRAIN_LOG" >&2; echo "no archive written" >&2; exit 1; }
rm -f "$TRAIN_LOG"
log "archive $(du -m "$ARCHIVE" | cut -f1) MiB"
