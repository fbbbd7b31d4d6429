#!/usr/bin/env bash
# Outage benchmark: N simulated operation1 devices, the gateway with a spool, the database cut
# off for OUTAGE seconds (a socat TCP proxy between the service and TimescaleDB is stopped: open
# connections reset, new ones refused), then back.
#
#   bench/outage.sh N OUTAGE        e.g. bench/outage.sh 1000 300
#
# Reported: rows expected vs stored for every tick from the warm-up's end to the end of the
# catch-up (must be equal), the gap rows the service recorded in that span (ticks it could not
# poll, e.g. a starved machine; not outage losses), catch-up time (database back → spool holds no
# backlog), p99/max tick→commit of live rows committed during the catch-up (the histogram is reset
# when the database comes back; replayed rows are counted apart), the replay rate, the spool's
# peak size, the service's peak RSS (VmHWM) and CPU, and the machine's load (it is shared).
#
# Environment knobs: WARMUP [20], SYNC [interval], REPLAY_RATE [0 = adaptive], BASE_PORT [22000],
# HTTP_PORT [18490], PROXY_PORT [18491], JAVA_OPTS [as bench/ingest.sh], KEEP_DB=1.
set -euo pipefail
command -v jq >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
command -v socat >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null; }

N="${1:?usage: bench/outage.sh N OUTAGE_SECONDS}"
OUTAGE="${2:?usage: bench/outage.sh N OUTAGE_SECONDS}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || { echo "no $JAR: run mvn -o -B -q package -DskipTests first" >&2; exit 2; }
WARMUP="${WARMUP:-20}"
BASE_PORT="${BASE_PORT:-22000}"
HTTP_PORT="${HTTP_PORT:-18490}"
PROXY_PORT="${PROXY_PORT:-18491}"
SYNC="${SYNC:-interval}"
JAVA_OPTS="${JAVA_OPTS:--Xms16m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m \
-XX:MaxDirectMemorySize=64m -Xss512k -XX:+ExitOnOutOfMemoryError -Dio.netty.allocator.maxOrder=7}"
PGHOST=127.0.0.1; PGPORT="${ESS_TSDB_PORT:-55432}"; PGUSER=ess; export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
DB="ess_outage_$$"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT_DIR="$ROOT/bench/results"; mkdir -p "$OUT_DIR"
RESULT="$OUT_DIR/outage-N$N-O$OUTAGE-$STAMP.json"
WORK="$(mktemp -d /tmp/ess-outage.XXXXXX)"
SPOOL_DIR="$ROOT/target/outage-spool-$$"
SIM_PID=""; SVC_PID=""; PROXY_PID=""; DB_CREATED=0
log() { echo "[outage $(date -u +%H:%M:%S)] $*" >&2; }
psql_q() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -v ON_ERROR_STOP=1 -qtA "$@"; }
stop_pid() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
proxy_up() { setsid socat TCP-LISTEN:"$PROXY_PORT",bind=127.0.0.1,reuseaddr,fork TCP:"$PGHOST":"$PGPORT" & PROXY_PID=$!; sleep 0.3; }
proxy_down() { [ -n "$PROXY_PID" ] && kill -KILL -- "-$PROXY_PID" 2>/dev/null; PROXY_PID=""; } # the listener and every forked relay
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$SVC_PID"; stop_pid "$SIM_PID"; proxy_down || true
  rm -rf "$SPOOL_DIR"
  if [ "$DB_CREATED" = 1 ] && [ "${KEEP_DB:-0}" != 1 ]; then
    psql_q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || log "could not drop $DB"
  fi
  [ "$rc" != 0 ] && { log "failed (exit $rc); logs in $WORK"; tail -20 "$WORK/service.log" >&2 || true; } || rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

scripts/timescaledb.sh start >/dev/null 2>&1 || scripts/timescaledb.sh start
psql_q -d postgres -c "CREATE DATABASE \"$DB\" OWNER \"$PGUSER\"" >/dev/null; DB_CREATED=1
proxy_up
java -Xmx512m -XX:+UseSerialGC -jar "$JAR" simulate --devices "$N" --base-port "$BASE_PORT" --host 127.0.0.1 >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!
for i in $(seq 1 120); do grep -q simulating "$WORK/simulator.log" 2>/dev/null && break; sleep 0.5; done
# the spool must hold the whole outage: 2,730 bytes per device-second (docs/spool-and-outages.md), doubled
MAX_BYTES=$(( N * 2730 * (OUTAGE + 120) * 2 ))
CONF="$WORK/service.properties"
{
  echo "quarkus.datasource.reactive.url=postgresql://$PGUSER:$PGPASSWORD@127.0.0.1:$PROXY_PORT/$DB"
  echo "quarkus.http.host=127.0.0.1"
  echo "quarkus.http.port=$HTTP_PORT"
  echo "ess.spool.dir=$SPOOL_DIR"
  echo "ess.spool.sync=$SYNC"
  echo "ess.spool.max-bytes=$MAX_BYTES"
  echo "ess.spool.replay-rows-per-second=${REPLAY_RATE:-0}"
  for i in $(seq 0 $((N - 1))); do
    id=$(printf "D%04d" "$((i + 1))")
    echo "ess.devices.\"$id\".host=127.0.0.1"
    echo "ess.devices.\"$id\".port=$((BASE_PORT + i))"
  done
} >"$CONF"
# shellcheck disable=SC2086
java $JAVA_OPTS -Dquarkus.config.locations="$CONF" -jar "$JAR" >"$WORK/service.log" 2>&1 &
SVC_PID=$!
status() { curl -fsS --max-time 10 "http://127.0.0.1:$HTTP_PORT/api/status?devices=false"; }
for i in $(seq 1 240); do
  kill -0 "$SVC_PID" 2>/dev/null || { tail -30 "$WORK/service.log" >&2; exit 1; }
  s=$(status 2>/dev/null) && [ "$(jq -r '.running and (.totals.connected == .totals.devices)' <<<"$s")" = true ] && break
  [ "$i" = 240 ] && { echo "service not ready" >&2; exit 1; }
  sleep 0.5
done
log "service pid $SVC_PID, $N devices connected; warm-up ${WARMUP}s"
sleep "$WARMUP"
CLK_TCK=$(getconf CLK_TCK)
cpu_seconds() { awk -v hz="$CLK_TCK" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
busy_seconds() { awk -v hz="$CLK_TCK" '/^cpu / { print ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
W0=$(( $(date +%s) + 1 ))                       # first whole second counted
CPU0=$(cpu_seconds "$SVC_PID"); BUSY0=$(busy_seconds); T_START=$(date +%s)
sleep 5
proxy_down
DOWN_MS=$(date +%s%3N)
log "database cut off for ${OUTAGE}s"
MAXRSS=0; MAXSPOOL=0
sample() {
  local r s
  r=$(awk '/^VmRSS/ { print $2 }' "/proc/$SVC_PID/status"); [ "$r" -gt "$MAXRSS" ] && MAXRSS=$r
  s=$(status 2>/dev/null | jq -r '.spool.bytes // 0') || s=0; [ "$s" -gt "$MAXSPOOL" ] && MAXSPOOL=$s
  return 0
}
while [ $(( $(date +%s%3N) - DOWN_MS )) -lt $(( OUTAGE * 1000 )) ]; do sample; sleep 1; done
S_DOWN=$(status)
proxy_up
UP_MS=$(date +%s%3N)
curl -fsS --max-time 10 -X POST "http://127.0.0.1:$HTTP_PORT/api/status/latency/reset" >/dev/null
log "database back; backlog $(jq -r .spool.records <<<"$S_DOWN") records, $(jq -r .spool.bytes <<<"$S_DOWN") bytes"
while true; do
  sample
  s=$(status)
  # caught up: no backlog left to replay and what is on disk is only live data of the last seconds
  if [ "$(jq -r '.spool.replayPending == 0 and .spool.records <= ('"$N"' * 3)' <<<"$s")" = true ]; then break; fi
  [ $(( $(date +%s%3N) - UP_MS )) -gt $(( (OUTAGE * 4 + 300) * 1000 )) ] && { log "no catch-up within 4x the outage"; break; }
  sleep 1
done
CAUGHT_MS=$(date +%s%3N)
S_CAUGHT=$(status)
W1=$(( CAUGHT_MS / 1000 - 5 ))                 # last whole second counted (live rows need a moment)
CPU1=$(cpu_seconds "$SVC_PID"); BUSY1=$(busy_seconds); T_END=$(date +%s)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
sleep 10
S_END=$(status)
HWM=$(awk '/^VmHWM/ { print $2 }' "/proc/$SVC_PID/status")
FROM="to_timestamp($W0)"; TO="to_timestamp($W1 + 1)"
SECS=$(( W1 - W0 + 1 ))
TABLES="[]"
for t in bank rack pcs etc; do
  per=$([ "$t" = rack ] && echo 8 || echo 1)
  stored=$(psql_q -d "$DB" -c "SELECT count(*) FROM \"$t\" WHERE \"TIMESTAMP\" >= $FROM AND \"TIMESTAMP\" < $TO")
  distinct=$(psql_q -d "$DB" -c "SELECT count(*) FROM (SELECT DISTINCT * FROM \"$t\" WHERE \"TIMESTAMP\" >= $FROM AND \"TIMESTAMP\" < $TO) x")
  gaps=$(psql_q -d "$DB" -c "SELECT coalesce(sum(missing_rows), 0) FROM ess_gaps WHERE table_name = '$t' AND ts >= $FROM AND ts < $TO")
  TABLES=$(jq -c --arg t "$t" --argjson e "$((per * N * SECS))" --argjson s "$stored" --argjson d "$distinct" --argjson g "$gaps" \
    '. + [{table: $t, expected: $e, stored: $s, distinct: $d, gapRowsRecorded: $g, lost: ($e - $s)}]' <<<"$TABLES")
done
jq -n --argjson n "$N" --argjson outage "$OUTAGE" --argjson secs "$SECS" --argjson tables "$TABLES" \
  --argjson down "$S_DOWN" --argjson caught "$S_CAUGHT" --argjson fin "$S_END" \
  --argjson downMs "$DOWN_MS" --argjson upMs "$UP_MS" --argjson caughtMs "$CAUGHT_MS" \
  --argjson hwm "$HWM" --argjson maxrss "$MAXRSS" --argjson maxspool "$MAXSPOOL" \
  --argjson cpu "$(awk -v a="$CPU0" -v b="$CPU1" 'BEGIN{print b-a}')" --argjson busy "$(awk -v a="$BUSY0" -v b="$BUSY1" 'BEGIN{print b-a}')" \
  --argjson wall "$((T_END - T_START))" --arg load "$LOAD" --arg sync "$SYNC" --arg commit "$(git rev-parse --short HEAD)" \
  --arg stamp "$STAMP" '
  ($tables | map(.expected) | add) as $e | ($tables | map(.stored) | add) as $s |
  { benchmark: "outage", utc: $stamp, commit: $commit, devices: $n, outageSeconds: $outage, sync: $sync,
    secondsCounted: $secs,
    rows: { expected: $e, stored: $s, lost: ($e - $s), duplicates: ($tables | map(.stored - .distinct) | add),
            gapRowsRecorded: ($tables | map(.gapRowsRecorded) | add), perTable: $tables },
    backlogAtReconnect: { records: $down.spool.records, bytes: $down.spool.bytes },
    catchUpSeconds: (($caughtMs - $upMs) / 1000),
    replayRecordsPerSec: ($down.spool.records / (($caughtMs - $upMs) / 1000)),
    liveTickToCommitDuringCatchUpMs: { p50: $caught.writer.tickToCommitP50Ms, p99: $caught.writer.tickToCommitP99Ms,
                                       max: $caught.writer.tickToCommitMaxMs, samples: $caught.writer.tickToCommitSamples },
    replayTickToCommitP99Ms: $caught.writer.replayTickToCommitP99Ms,
    spoolPeakBytes: $maxspool, peakRssMiB: ($hwm / 1024), maxRssSampledMiB: ($maxrss / 1024),
    serviceCpuSeconds: $cpu, serviceCpuCoresAvg: ($cpu / $wall),
    machine: { cores: 2, busyCoresAvg: ($busy / $wall), loadAvg: $load },
    writerAtEnd: $fin.writer, spoolAtEnd: $fin.spool }' >"$RESULT"
jq -r '"outage N=\(.devices) \(.outageSeconds)s: rows \(.rows.stored)/\(.rows.expected) lost \(.rows.lost) dup \(.rows.duplicates) gaps \(.rows.gapRowsRecorded), " +
  "catch-up \(.catchUpSeconds) s (\(.replayRecordsPerSec | round) cycles/s), live p99/max \(.liveTickToCommitDuringCatchUpMs.p99)/\(.liveTickToCommitDuringCatchUpMs.max) ms, " +
  "spool peak \(.spoolPeakBytes / 1048576 | round) MiB, peak RSS \(.peakRssMiB | round) MiB, CPU \(.serviceCpuCoresAvg * 100 | round / 100) cores, load \(.machine.loadAvg)"' "$RESULT"
echo "$RESULT" >&2
