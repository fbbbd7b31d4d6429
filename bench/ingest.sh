#!/usr/bin/env bash
# Ingest benchmark: N simulated operation1 devices polled at 1 Hz by the gateway for T seconds.
#
#   bench/ingest.sh N T            e.g. bench/ingest.sh 1000 120
#
# What it does, in order (everything on loopback, everything it starts is stopped on exit,
# Ctrl-C or failure):
#   1. scripts/timescaledb.sh start; creates a fresh database ess_bench_<pid> (dropped at the end)
#   2. the simulator, N devices on 127.0.0.1:BASE_PORT.., in its own JVM (ulimit -n raised)
#   3. the service jar (target/quarkus-app/quarkus-run.jar, build it first with
#      `mvn -o -B -q package -DskipTests`) with the recommended gateway JVM flags (JAVA_OPTS below)
#      and a generated config file listing the N devices
#   4. waits until every device is connected, then a warm-up of WARMUP seconds (default 20)
#   5. the measured window is the T whole-second ticks [t0, t0+T), t0 = first whole second after
#      the warm-up. At t0 the tick→commit histogram is reset and the service's CPU time and
#      Modbus read counters are sampled; they are sampled again at t0+T. After a DRAIN (default
#      10 s) for the last commits, rows with "TIMESTAMP" in [t0, t0+T) are counted per table.
#   6. writes bench/results/ingest-N<N>-T<T>-<UTC time>.json and prints one summary line.
#
# Reported: time from launching the service's JVM to the first stored row (startup), expected vs stored rows per table (loss), tick→commit p50/p99/max (the writer's
# histogram: every row committed between t0 and the end of the drain), service CPU seconds in
# the window (and, for context, the simulator's and the bench database backends'), its peak RSS (VmHWM, whole life incl. start-up), Modbus requests/s, rows/s,
# register values read/s, values stored/s, service CPU-seconds per million stored values, and
# the machine's load average (the machine is shared: read the numbers with it).
#
# Also reported: the service's log lines (from launch to the end, and per minute in the window),
# the devices that were ever offline (/api/devices timesOffline), each process's average cores in the
# window (service, simulator, database backends). And the service's write syscalls and block-device writes in the window
# (/proc/PID/io wchar and write_bytes: the spool's disk cost; write_bytes counts what reached the
# block layer, so page-cache writes not yet written back by the end of the window are missing from
# it), and the spool's state at the end when SPOOL=interval|always|never puts one in
# target/bench-spool-PID (on the worktree's disk, not tmpfs, so that fsync costs what it costs).
#
# Environment knobs (defaults in brackets): WARMUP [20], DRAIN [10], BASE_PORT [21000],
# HTTP_PORT [18480], JAVA_OPTS [gateway flags below], CDS [1: JDK 17-23 start from an AppCDS archive of
# the service, bench/appcds.sh], SIM_JAVA_OPTS, JAVA [java],
# EXTRA_PROPS (extra lines for the service config), JFR=1 (record a JFR profile of the service
# into bench/results/; SCRAPE_COUNT [5] Prometheus scrapes (+ readiness, device list) during the drain; HISTO=1 a live-heap class histogram after the window; SIM_JFR=1 the same for the simulator), KEEP_DB=1 (do not drop the database), LABEL (tag in the JSON).
set -euo pipefail
command -v jq >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }

N="${1:?usage: bench/ingest.sh N T}"
T="${2:?usage: bench/ingest.sh N T}"
[[ "$N" =~ ^[0-9]+$ && "$N" -ge 1 && "$N" -le 5000 ]] || { echo "N must be 1..5000" >&2; exit 2; }
[[ "$T" =~ ^[0-9]+$ && "$T" -ge 5 && "$T" -le 3600 ]] || { echo "T must be 5..3600 seconds" >&2; exit 2; }

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || { echo "no $JAR: run mvn -o -B -q package -DskipTests first" >&2; exit 2; }

WARMUP="${WARMUP:-20}"
DRAIN="${DRAIN:-10}"
BASE_PORT="${BASE_PORT:-21000}"
HTTP_PORT="${HTTP_PORT:-18480}"
JAVA="${JAVA:-java}"
# The gateway flags, from their one home (src/main/docker/gateway-jvm.options, which says why each
# is there); glibc's malloc arenas capped at 2 as the image does (MALLOC_ARENA_MAX).
DEFAULT_JAVA_OPTS="$(grep -v '^#' "$ROOT/src/main/docker/gateway-jvm.options" | tr '\n' ' ')"
# more than 1,000 devices: the large-site flags (full JIT, 512 MiB heap), as docs/deployment.md says
[ "$N" -gt 1000 ] && DEFAULT_JAVA_OPTS="$(grep -v '^#' "$ROOT/src/main/docker/large-site-jvm.options" | tr '\n' ' ')"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
JAVA_OPTS="${JAVA_OPTS:-$DEFAULT_JAVA_OPTS}"
# JDK 17-23: an AppCDS archive of the service (bench/appcds.sh, made once per jar and JVM), as
# docs/deployment.md recommends for those JDKs; JDK 24+ have the AOT cache instead. CDS=0: without.
JAVA_MAJOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')"
CDS_ARCHIVE=""
if [ "${CDS:-1}" = 1 ] && [ "${JAVA_MAJOR%%.*}" -lt 24 ] && [[ "$JAVA_OPTS" != *SharedArchiveFile* ]]; then
  CDS_ARCHIVE="$ROOT/target/ess-gateway-jdk$JAVA_MAJOR.jsa"
fi
SIM_JAVA_OPTS="${SIM_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}"
[ "${SIM_JFR:-0}" = 1 ] && SIM_JAVA_OPTS="$SIM_JAVA_OPTS -XX:StartFlightRecording=filename=bench/results/simulator-N$1-$(date -u +%H%M%S).jfr,settings=profile"
PGHOST=127.0.0.1; PGPORT="${ESS_TSDB_PORT:-55432}"; PGUSER=ess; export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
DB="ess_bench_$$"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT_DIR="$ROOT/bench/results"
WORK="$(mktemp -d /tmp/ess-ingest.XXXXXX)"
mkdir -p "$OUT_DIR"
RESULT="$OUT_DIR/ingest-N$N-T$T-$STAMP.json"
SIM_PID=""; SVC_PID=""; DB_CREATED=0; NAP_PID=""

# sleeps run in the background and are waited for, so that a signal runs the trap at once
nap() { sleep "$1" & NAP_PID=$!; wait "$NAP_PID"; NAP_PID=""; }
log() { echo "[ingest $(date -u +%H:%M:%S)] $*" >&2; }
psql_q() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -v ON_ERROR_STOP=1 -qtA "$@"; }

stop_pid() { # TERM, wait up to 15 s, then KILL; only the pids this script started
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$NAP_PID" ] && kill "$NAP_PID" 2>/dev/null
  stop_pid "$SVC_PID"
  stop_pid "$SIM_PID"
  rm -rf "$ROOT/target/bench-spool-$$"
  if [ "$DB_CREATED" = 1 ] && [ "${KEEP_DB:-0}" != 1 ]; then
    psql_q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || log "could not drop $DB"
  fi
  if [ "$rc" != 0 ]; then
    log "failed (exit $rc); logs kept in $WORK"
    tail -20 "$WORK/service.log" 2>/dev/null >&2 || true
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
for p in "$HTTP_PORT" "$BASE_PORT" "$((BASE_PORT + N - 1))"; do
  port_free "$p" || { echo "port $p is in use; set BASE_PORT/HTTP_PORT" >&2; exit 2; }
done
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# --- 1. database -------------------------------------------------------------------------
scripts/timescaledb.sh start >/dev/null 2>&1 || scripts/timescaledb.sh start
psql_q -d postgres -c "CREATE DATABASE \"$DB\" OWNER \"$PGUSER\"" >/dev/null
DB_CREATED=1
log "database $DB on $PGHOST:$PGPORT"

# --- 2. simulator ------------------------------------------------------------------------
# shellcheck disable=SC2086
"$JAVA" $SIM_JAVA_OPTS -jar "$JAR" simulate --devices "$N" --base-port "$BASE_PORT" --host 127.0.0.1 \
  >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!
for i in $(seq 1 120); do
  grep -q "simulating" "$WORK/simulator.log" 2>/dev/null && break
  kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/simulator.log" >&2; exit 1; }
  [ "$i" = 120 ] && { echo "simulator did not start in 60 s" >&2; exit 1; }
  nap 0.5
done
log "simulator pid $SIM_PID: $N devices on 127.0.0.1:$BASE_PORT-$((BASE_PORT + N - 1))"

# --- 3. service --------------------------------------------------------------------------
if [ -n "$CDS_ARCHIVE" ]; then
  JAVA="$JAVA" JAVA_OPTS="$JAVA_OPTS" bench/appcds.sh "$CDS_ARCHIVE"
  JAVA_OPTS="$JAVA_OPTS -XX:SharedArchiveFile=$CDS_ARCHIVE"
fi
CONF="$WORK/service.properties"
BENCH_PW=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
{
  echo "quarkus.datasource.reactive.url=postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$DB"
  echo "quarkus.http.host=127.0.0.1"
  echo "quarkus.http.port=$HTTP_PORT"
  # the latency reset needs an operator (docs/security.md): a throw-away one for this run
  echo "quarkus.security.users.embedded.users.bench=$BENCH_PW"
  echo "quarkus.security.users.embedded.roles.bench=operator"
  for i in $(seq 0 $((N - 1))); do
    id=$(printf "D%04d" "$((i + 1))")
    echo "ess.devices.\"$id\".host=127.0.0.1"
    echo "ess.devices.\"$id\".port=$((BASE_PORT + i))"
    echo "ess.devices.\"$id\".profile=operation1"
  done
  [ -n "${EXTRA_PROPS:-}" ] && printf '%s\n' "$EXTRA_PROPS"
  if [ -n "${SPOOL:-}" ]; then
    echo "ess.spool.dir=$ROOT/target/bench-spool-$$"
    echo "ess.spool.sync=$SPOOL"
  fi
} >"$CONF"
[ -n "${SPOOL:-}" ] && rm -rf "$ROOT/target/bench-spool-$$"
JFR_OPTS=""
if [ "${JFR:-0}" = 1 ]; then
  JFR_FILE="$OUT_DIR/ingest-N$N-T$T-$STAMP.jfr"
  JFR_OPTS="-XX:StartFlightRecording=filename=$JFR_FILE,settings=profile,delay=${WARMUP}s"
fi
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS $JFR_OPTS -Dquarkus.config.locations="$CONF" -jar "$JAR" >"$WORK/service.log" 2>&1 &
SVC_PID=$!
LAUNCH_MS=$(date +%s%3N)
# start-up: time from launching the JVM to the first row stored (any operation1 table; polled
# every ~20 ms plus psql's own time, so read it to ~±50 ms) and Quarkus' own "started in"
FIRST_ROW_MS=null
for i in $(seq 1 3000); do
  kill -0 "$SVC_PID" 2>/dev/null || break
  if [ "$(psql_q -d "$DB" -c "SELECT count(*) FROM pg_class WHERE relname = 'bank' AND relkind IN ('r', 'p')" 2>/dev/null)" = 1 ] \
      && [ "$(psql_q -d "$DB" -c 'SELECT EXISTS (SELECT 1 FROM bank)' 2>/dev/null)" = t ]; then
    FIRST_ROW_MS=$(( $(date +%s%3N) - LAUNCH_MS ))
    break
  fi
  sleep 0.02
done
STARTED_IN_S=$(grep -o 'started in [0-9.]*s' "$WORK/service.log" | sed -n 1p | grep -o '[0-9.]*' | sed -n 1p)
log "first stored row ${FIRST_ROW_MS} ms after launch (Quarkus: started in ${STARTED_IN_S:-?} s)"
STATUS_URL="http://127.0.0.1:$HTTP_PORT/api/status?devices=false"
status() { curl -fsS --max-time 10 "$STATUS_URL"; }
for i in $(seq 1 240); do
  kill -0 "$SVC_PID" 2>/dev/null || { echo "service exited:" >&2; tail -30 "$WORK/service.log" >&2; exit 1; }
  if s=$(status 2>/dev/null) && [ "$(jq -r '.running and (.totals.connected == .totals.devices)' <<<"$s")" = true ]; then
    break
  fi
  [ "$i" = 240 ] && { echo "service not running with all devices connected after 120 s" >&2; exit 1; }
  nap 0.5
done
log "service pid $SVC_PID: all $N devices connected; warm-up ${WARMUP}s"
nap "$WARMUP"

CLK_TCK=$(getconf CLK_TCK)
cpu_seconds() { awk -v hz="$CLK_TCK" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
now_ms() { date +%s%3N; }
io_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/io"; }
machine_busy_seconds() { awk -v hz="$CLK_TCK" '/^cpu / { print ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
DB_PIDS=""
db_cpu_seconds() { # CPU of the PostgreSQL backends serving the bench database (the writer's pool)
  local total=0 p
  for p in $DB_PIDS; do
    [ -r "/proc/$p/stat" ] && total=$(awk -v t="$total" -v hz="$CLK_TCK" '{ print t + ($14 + $15) / hz }' "/proc/$p/stat")
  done
  echo "$total"
}
sleep_until_ms() { local d=$(($1 - $(now_ms))); [ "$d" -gt 0 ] && nap "$(awk -v d="$d" 'BEGIN{printf "%.3f", d/1000}')"; return 0; }

# --- 5. measured window ----------------------------------------------------------------------
DB_PIDS=$(psql_q -d postgres -c "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()" | tr '\n' ' ')
T0=$(( ($(now_ms) / 1000 + 2) * 1000 ))     # ms; first whole second at least 1 s ahead
T1=$(( T0 + T * 1000 ))
sleep_until_ms $((T0 - 300))
curl -fsS --max-time 10 -u "bench:$BENCH_PW" -X POST "http://127.0.0.1:$HTTP_PORT/api/status/latency/reset" >/dev/null
S0=$(status)
sleep_until_ms "$T0"
WCHAR0=$(io_field "$SVC_PID" wchar); WBYTES0=$(io_field "$SVC_PID" write_bytes)
LOGLINES0=$(wc -l <"$WORK/service.log")
CPU0=$(cpu_seconds "$SVC_PID"); SIMCPU0=$(cpu_seconds "$SIM_PID"); DBCPU0=$(db_cpu_seconds); BUSY0=$(machine_busy_seconds); LOAD0=$(cut -d' ' -f1 /proc/loadavg)
log "window [$(date -u -d @$((T0 / 1000)) +%H:%M:%S), +${T}s)"
MAXRSS_KB=0
while [ "$(now_ms)" -lt $((T1 - 1300)) ]; do   # bounded by T1; RSS sampled once a second
  r=$(awk '/^VmRSS/ { print $2 }' "/proc/$SVC_PID/status")
  [ "$r" -gt "$MAXRSS_KB" ] && MAXRSS_KB=$r
  kill -0 "$SVC_PID" 2>/dev/null || { echo "service died during the window" >&2; exit 1; }
  nap 1
done
# counters between T0-0.3 s and T1-0.3 s cover the cycles of exactly the ticks T0 .. T1-1 s
sleep_until_ms $((T1 - 300))
S1=$(status)
sleep_until_ms "$T1"
WCHAR1=$(io_field "$SVC_PID" wchar); WBYTES1=$(io_field "$SVC_PID" write_bytes)
LOGLINES1=$(wc -l <"$WORK/service.log")
CPU1=$(cpu_seconds "$SVC_PID"); SIMCPU1=$(cpu_seconds "$SIM_PID"); DBCPU1=$(db_cpu_seconds); BUSY1=$(machine_busy_seconds)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
log "window over; drain ${DRAIN}s"
# operator surfaces under the same load, after the measured window so they do not count in its CPU:
# Prometheus scrapes (size, series, time), the readiness check and the device list
DRAIN_END_MS=$(( $(now_ms) + DRAIN * 1000 ))
SCRAPES="[]"
for i in $(seq 1 "${SCRAPE_COUNT:-5}"); do
  m=$(curl -sS --max-time 30 -o "$WORK/metrics.txt" -w '%{time_total} %{size_download}' "http://127.0.0.1:$HTTP_PORT/q/metrics")
  series=$(grep -vc '^#' "$WORK/metrics.txt")
  essSeries=$(grep -c '^ess_' "$WORK/metrics.txt")
  h=$(curl -sS --max-time 30 -o /dev/null -w '%{time_total}' "http://127.0.0.1:$HTTP_PORT/q/health/ready")
  d=$(curl -sS --max-time 30 -o /dev/null -w '%{time_total}' "http://127.0.0.1:$HTTP_PORT/api/devices")
  SCRAPES=$(jq -c --argjson t "${m% *}" --argjson b "${m#* }" --argjson s "$series" --argjson e "$essSeries" --argjson h "$h" --argjson d "$d" \
    '. + [{seconds: $t, bytes: $b, series: $s, essSeries: $e, healthReadySeconds: $h, apiDevicesSeconds: $d}]' <<<"$SCRAPES")
  nap 1
done
sleep_until_ms "$DRAIN_END_MS"
S2=$(status)
if [ "${HISTO:-0}" = 1 ]; then  # live-object histogram of the service (forces a full GC)
  jcmd "$SVC_PID" GC.class_histogram 2>/dev/null | head -40 >"$OUT_DIR/ingest-N$N-T$T-$STAMP.histo.txt" || true
fi
HWM_KB=$(awk '/^VmHWM/ { print $2 }' "/proc/$SVC_PID/status")
LOGLINES_END=$(wc -l <"$WORK/service.log")
# devices that were offline at least once since launch (start-up included): /api/devices timesOffline
EVER_OFFLINE=$(curl -fsS --max-time 30 "http://127.0.0.1:$HTTP_PORT/api/devices" \
  | jq '[.[] | select((.timesOffline // 0) > 0)] | length' 2>/dev/null || echo null)

# --- rows in the window, from the database ---------------------------------------------------
FROM="to_timestamp($T0 / 1000.0)"; TO="to_timestamp($T1 / 1000.0)"
TABLES_JSON="[]"
for t in bank rack pcs etc; do
  # rows one device yields per tick for this table (1, or the group count: 8 racks)
  per_tick=$(psql_q -d "$DB" -c "SELECT coalesce(max(c), 0) FROM (SELECT count(*) AS c FROM \"$t\" WHERE \"TIMESTAMP\" < $TO GROUP BY \"SITE_ID\", \"TIMESTAMP\") x")
  stored=$(psql_q -d "$DB" -c "SELECT count(*) FROM \"$t\" WHERE \"TIMESTAMP\" >= $FROM AND \"TIMESTAMP\" < $TO")
  sites=$(psql_q -d "$DB" -c "SELECT count(DISTINCT \"SITE_ID\") FROM \"$t\" WHERE \"TIMESTAMP\" >= $FROM AND \"TIMESTAMP\" < $TO")
  values=$(psql_q -d "$DB" -c "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '$t' AND column_name NOT IN ('TIMESTAMP','SITE_ID','BANK_ID','RACK_ID')")
  TABLES_JSON=$(jq -c --arg t "$t" --argjson per "$per_tick" --argjson stored "$stored" --argjson sites "$sites" \
    --argjson values "$values" --argjson n "$N" --argjson T "$T" \
    '. + [{table: $t, rowsPerDeviceTick: $per, expected: ($per * $n * $T), stored: $stored, lost: ($per * $n * $T - $stored),
           sites: $sites, valuesPerRow: $values}]' <<<"$TABLES_JSON")
done
GAPS=$(psql_q -d "$DB" -c "SELECT coalesce(sum(missing_rows), 0) FROM ess_gaps WHERE ts >= $FROM AND ts < $TO")
QUALITY=$(psql_q -d "$DB" -c "SELECT count(*) FROM ess_quality WHERE ts >= $FROM AND ts < $TO")

jq -n --argjson n "$N" --argjson T "$T" --argjson warmup "$WARMUP" --argjson drain "$DRAIN" \
  --argjson t0 "$T0" --argjson tables "$TABLES_JSON" --argjson s0 "$S0" --argjson s1 "$S1" --argjson s2 "$S2" \
  --argjson cpu0 "$CPU0" --argjson cpu1 "$CPU1" --argjson simcpu0 "$SIMCPU0" --argjson simcpu1 "$SIMCPU1" --argjson dbcpu0 "$DBCPU0" --argjson dbcpu1 "$DBCPU1" \
  --argjson busy0 "$BUSY0" --argjson busy1 "$BUSY1" --arg load0 "$LOAD0" \
  --argjson wchar "$((WCHAR1 - WCHAR0))" --argjson wbytes "$((WBYTES1 - WBYTES0))" --arg spool "${SPOOL:-none}" \
  --argjson hwm "$HWM_KB" --argjson maxrss "$MAXRSS_KB" --argjson gaps "$GAPS" --argjson quality "$QUALITY" \
  --argjson scrapes "$SCRAPES" --arg load "$LOAD" --arg javaOpts "$JAVA_OPTS" --arg java "$("$JAVA" -version 2>&1 | sed -n 1p)" \
  --argjson log0 "$LOGLINES0" --argjson log1 "$LOGLINES1" --argjson logEnd "$LOGLINES_END" --argjson everOffline "$EVER_OFFLINE" \
  --argjson firstRowMs "$FIRST_ROW_MS" --arg startedIn "${STARTED_IN_S:-}" \
  --arg stamp "$STAMP" --arg lbl "${LABEL:-}" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg dirty "$(git status --porcelain -- src pom.xml 2>/dev/null | wc -l)" '
  ($tables | map(.expected) | add) as $expected |
  ($tables | map(.stored) | add) as $stored |
  ($tables | map(.stored * .valuesPerRow) | add) as $values |
  ($s1.totals.readsOk - $s0.totals.readsOk) as $reads |
  ($cpu1 - $cpu0) as $cpu |
  {
    benchmark: "ingest", "label": $lbl, utc: $stamp, commit: $commit, uncommittedSourceFiles: ($dirty | tonumber),
    devices: $n, windowSeconds: $T, warmupSeconds: $warmup, drainSeconds: $drain,
    windowStartUtc: ($t0 / 1000 | todate),
    rows: { expected: $expected, stored: $stored, lost: ($expected - $stored),
            lossPercent: (if $expected > 0 then (($expected - $stored) * 100 / $expected) else 0 end),
            gapRowsRecorded: $gaps, qualityEvents: $quality, perTable: $tables },
    tickToCommitMs: { p50: $s2.writer.tickToCommitP50Ms, p99: $s2.writer.tickToCommitP99Ms,
                      max: $s2.writer.tickToCommitMaxMs, samples: $s2.writer.tickToCommitSamples },
    startup: { firstStoredRowMsAfterLaunch: $firstRowMs, quarkusStartedInSeconds: (if $startedIn == "" then null else ($startedIn | tonumber) end) },
    service: { cpuSeconds: $cpu, cpuCoresAvg: ($cpu / $T), peakRssMiB: ($hwm / 1024),
               maxRssInWindowMiB: ($maxrss / 1024), javaOpts: $javaOpts, java: $java,
               cpuSecondsPerMillionValues: (if $values > 0 then ($cpu / ($values / 1e6)) else null end) },
    serviceLog: { linesFromLaunch: $logEnd, linesInWindow: ($log1 - $log0), linesPerMinuteInWindow: (($log1 - $log0) * 60 / $T) },
    devicesEverOffline: $everOffline,
    simulator: { cpuSeconds: ($simcpu1 - $simcpu0), cpuCoresAvg: (($simcpu1 - $simcpu0) / $T) },
    spool: { sync: $spool, writeSyscallBytesPerSec: ($wchar / $T), blockWriteBytesPerSec: ($wbytes / $T), atEnd: $s2.spool },
    database: { backendCpuSeconds: ($dbcpu1 - $dbcpu0), cpuCoresAvg: (($dbcpu1 - $dbcpu0) / $T) },
    rates: { modbusRequestsPerSec: ($reads / $T), rowsPerSec: ($stored / $T), valuesStoredPerSec: ($values / $T),
             registersReadPerSec: ($reads * $s0.totals.registersPerCycle / $s0.totals.readsPerCycle / $T) },
    window: { ticksMissed: ($s1.totals.ticksMissed - $s0.totals.ticksMissed),
              readsFailed: ($s1.totals.readsFailed - $s0.totals.readsFailed),
              cyclesPartial: ($s1.totals.cyclesPartial - $s0.totals.cyclesPartial) },
    writerAtEnd: $s2.writer, devicesAtEnd: $s2.totals,
    operatorSurfaces: { scrapes: $scrapes,
                        metricsSeries: ($scrapes | map(.series) | max), essSeries: ($scrapes | map(.essSeries) | max),
                        metricsBytes: ($scrapes | map(.bytes) | max),
                        scrapeSecondsMedian: ($scrapes | map(.seconds) | sort | .[length / 2 | floor]),
                        scrapeSecondsMax: ($scrapes | map(.seconds) | max) },
    machine: { loadAvg1mAtWindowStart: $load0, loadAvgAtWindowEnd: $load, cores: 2,
               busyCoresAvg: (($busy1 - $busy0) / $T),
               otherProcessesBusyCoresAvg: ((($busy1 - $busy0) - ($cpu1 - $cpu0) - ($simcpu1 - $simcpu0) - ($dbcpu1 - $dbcpu0)) / $T) }
  }' >"$RESULT"

jq -r '"ingest N=\(.devices) T=\(.windowSeconds)s: first row \(.startup.firstStoredRowMsAfterLaunch) ms after launch, rows \(.rows.stored)/\(.rows.expected) lost \(.rows.lost) (\(.rows.lossPercent | . * 1000 | round / 1000)%), " +
  "tick→commit p50/p99/max \(.tickToCommitMs.p50)/\(.tickToCommitMs.p99)/\(.tickToCommitMs.max) ms, " +
  "CPU \(.service.cpuSeconds | . * 100 | round / 100) s (\(.service.cpuSecondsPerMillionValues | . * 1000 | round / 1000) s/M values), " +
  "peak RSS \(.service.peakRssMiB | round) MiB, \(.rates.rowsPerSec | round) rows/s, \(.rates.valuesStoredPerSec | round) values/s, " +
  "\(.rates.modbusRequestsPerSec | round) req/s, cores service/simulator/database \(.service.cpuCoresAvg * 100 | round / 100)/\(.simulator.cpuCoresAvg * 100 | round / 100)/\(.database.cpuCoresAvg * 100 | round / 100), " +
  "log \(.serviceLog.linesFromLaunch) lines (\(.serviceLog.linesPerMinuteInWindow | round)/min in the window), ever offline \(.devicesEverOffline), spool \(.spool.sync) write() \(.spool.writeSyscallBytesPerSec / 1024 | round) KiB/s disk \(.spool.blockWriteBytesPerSec / 1024 | round) KiB/s, load \(.machine.loadAvgAtWindowEnd), other processes \(.machine.otherProcessesBusyCoresAvg * 100 | round / 100) cores"' "$RESULT"
echo "$RESULT" >&2
