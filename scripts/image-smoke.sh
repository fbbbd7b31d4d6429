#!/usr/bin/env bash
# Runs the JVM image (scripts/image.sh build) against the project's TimescaleDB, as a CI step:
#   1. a fresh database ess_image_<pid> (dropped at the end)
#   2. the simulator in a second container of the same image (`simulate --devices 2`)
#   3. the gateway container with the layout of the Kubernetes manifests: config/application.properties
#      + config/site.properties (QUARKUS_CONFIG_LOCATIONS), credentials as environment variables,
#      the spool folder as a volume, the image's default JAVA_OPTS
#   4. checks: the health endpoint answers 200, rows from both devices arrive, SIGTERM
#      (podman stop) ends the container within 30 s with exit code 143 (the JVM's status after an
#      orderly stop on SIGTERM) or 0, Quarkus' "stopped in" line, and no "not written" line
#      and, when the image carries an AOT cache (Dockerfile.jvm on JDK 25), no sign that the JVM refused it
#   5. prints what it measured: time from `podman run` to the health answer and to the first stored
#      row, the JVM's RSS after 30 s and its peak (VmHWM), the image size
# Everything it starts is stopped on exit (containers by name, database dropped). Needs root.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
IMAGE="${IMAGE:-localhost/ess-gateway:jvm}"
HTTP_PORT="${HTTP_PORT:-18611}"
SIM_PORT="${SIM_PORT:-21611}"
# The readiness path the Kubernetes manifests probe is /q/health/ready; until the service has
# quarkus-smallrye-health, the status API stands in. Switching is this one line.
HEALTH_PATH="${HEALTH_PATH:-/api/status?devices=false}"
RUN_SECONDS="${RUN_SECONDS:-30}"
PGHOST=127.0.0.1; PGPORT="${ESS_TSDB_PORT:-55432}"; PGUSER=ess; export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
DB="ess_image_$$"
GW="ess-smoke-gw-$$"; SIM="ess-smoke-sim-$$"
WORK="$(mktemp -d /tmp/ess-image-smoke.XXXXXX)"
DB_CREATED=0

log() { echo "[image-smoke $(date -u +%H:%M:%S)] $*" >&2; }
podman_() { podman --runtime /usr/sbin/runc "$@"; }
psql_q() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -v ON_ERROR_STOP=1 -qtA "$@"; }
now_ms() { date +%s%3N; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  podman_ rm -f -t 5 "$GW" "$SIM" >/dev/null 2>&1 || true
  [ "$DB_CREATED" = 1 ] && { psql_q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true; }
  if [ "$rc" != 0 ]; then log "FAILED (exit $rc); files kept in $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fail() { log "FAIL: $*"; tail -40 "$WORK/gateway.log" >&2 2>/dev/null || true; exit 1; }

podman_ image exists "$IMAGE" || { echo "no image $IMAGE: run scripts/image.sh build" >&2; exit 2; }
scripts/timescaledb.sh start >/dev/null 2>&1 || scripts/timescaledb.sh start
psql_q -d postgres -c "CREATE DATABASE \"$DB\" OWNER \"$PGUSER\"" >/dev/null
DB_CREATED=1

log "simulator container: 2 devices on 127.0.0.1:$SIM_PORT-$((SIM_PORT + 1))"
podman_ run -d --name "$SIM" --network=host "$IMAGE" simulate --devices 2 --base-port "$SIM_PORT" --host 127.0.0.1 >/dev/null
for i in $(seq 1 120); do
  [[ "$(podman_ logs "$SIM" 2>&1)" == *simulating* ]] && break
  [ "$i" = 120 ] && { podman_ logs "$SIM" >&2; fail "simulator did not start in 60 s"; }
  sleep 0.5
done

mkdir -p "$WORK/config" "$WORK/spool"
chown 185 "$WORK/spool"
cat >"$WORK/config/application.properties" <<PROPS
quarkus.http.port=$HTTP_PORT
ess.archive.cron=off
PROPS
cat >"$WORK/config/site.properties" <<PROPS
quarkus.datasource.reactive.url=postgresql://$PGHOST:$PGPORT/$DB
ess.devices.s1.host=127.0.0.1
ess.devices.s1.port=$SIM_PORT
ess.devices.s2.host=127.0.0.1
ess.devices.s2.port=$((SIM_PORT + 1))
PROPS

log "gateway container $IMAGE"
T0=$(now_ms)
podman_ run -d --name "$GW" --network=host \
  -v "$WORK/config:/deployments/config:ro,Z" -v "$WORK/spool:/var/lib/ess/spool:Z" \
  -e QUARKUS_CONFIG_LOCATIONS=/deployments/config/site.properties \
  -e QUARKUS_DATASOURCE_USERNAME="$PGUSER" -e QUARKUS_DATASOURCE_PASSWORD="$PGPASSWORD" \
  "$IMAGE" >/dev/null
PID=$(podman_ inspect --format '{{.State.Pid}}' "$GW")

HEALTH_MS=""; FIRST_ROW_MS=""
for i in $(seq 1 600); do
  if [ -z "$HEALTH_MS" ] && curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$HTTP_PORT$HEALTH_PATH" 2>/dev/null; then
    HEALTH_MS=$(( $(now_ms) - T0 ))
  fi
  if [ -z "$FIRST_ROW_MS" ] && [ "$(psql_q -d "$DB" -c "SELECT to_regclass('bank') IS NOT NULL" 2>/dev/null)" = t ] \
      && [ "$(psql_q -d "$DB" -c 'SELECT count(*) FROM bank' 2>/dev/null)" -gt 0 ]; then
    FIRST_ROW_MS=$(( $(now_ms) - T0 ))
  fi
  [ -n "$HEALTH_MS" ] && [ -n "$FIRST_ROW_MS" ] && break
  [ "$(podman_ inspect --format '{{.State.Running}}' "$GW")" = true ] || { podman_ logs "$GW" >"$WORK/gateway.log" 2>&1; fail "gateway exited"; }
  sleep 0.05
done
[ -n "$HEALTH_MS" ] || fail "no 200 from $HEALTH_PATH"
[ -n "$FIRST_ROW_MS" ] || fail "no row stored"
log "health 200 after $HEALTH_MS ms, first stored row after $FIRST_ROW_MS ms (from podman run)"

sleep "$RUN_SECONDS"
RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
HWM_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$PID/status")
COUNTS=$(psql_q -d "$DB" -c "SELECT string_agg(\"SITE_ID\" || '=' || n, ' ' ORDER BY \"SITE_ID\") FROM (SELECT \"SITE_ID\", count(*) n FROM bank GROUP BY 1) t")
log "bank rows per device after ${RUN_SECONDS}s: $COUNTS"
for s in s1 s2; do
  n=$(psql_q -d "$DB" -c "SELECT count(*) FROM bank WHERE \"SITE_ID\" = '$s'")
  [ "$n" -ge $((RUN_SECONDS - 5)) ] || fail "device $s: $n bank rows in ${RUN_SECONDS}+ s"
done

log "SIGTERM (podman stop)"
S0=$(now_ms)
podman_ stop -t 30 "$GW" >/dev/null
STOP_MS=$(( $(now_ms) - S0 ))
EXIT_CODE=$(podman_ inspect --format '{{.State.ExitCode}}' "$GW")
podman_ logs "$GW" >"$WORK/gateway.log" 2>&1
# 143 = 128 + SIGTERM: the JVM's exit status after it ran its shutdown hooks on SIGTERM (Quarkus'
# orderly stop: "stopped in"); 0 if the application ends itself. Anything else is a crash.
[ "$EXIT_CODE" = 143 ] || [ "$EXIT_CODE" = 0 ] || fail "exit code $EXIT_CODE after SIGTERM"
grep -q "stopped in" "$WORK/gateway.log" || fail "no 'stopped in' line after SIGTERM"
if grep -q "not written" "$WORK/gateway.log"; then fail "rows not written at stop"; fi
grep "stopped in" "$WORK/gateway.log" | tail -1 >&2
# an image with an AOT cache must actually use it (a refused cache only warns, and costs start-up)
AOT_NOTE="no AOT cache"
if podman_ run --rm --entrypoint test "$IMAGE" -f /deployments/ess-gateway.aot; then
  if grep -qi "unable to use AOT cache\|error.*\[aot\]" "$WORK/gateway.log"; then fail "the image's AOT cache was refused"; fi
  AOT_NOTE="AOT cache used"
fi
SIZE=$(podman_ image inspect --format '{{.Size}}' "$IMAGE")
# whole output first: `| head -1` closes the pipe early and podman then exits 126 (pipefail)
JAVA_V=$(podman_ run --rm --entrypoint java "$IMAGE" -version 2>&1); JAVA_V=${JAVA_V%%$'\n'*}
log "OK: image $IMAGE $((SIZE / 1048576)) MiB ($JAVA_V, $AOT_NOTE); health after $HEALTH_MS ms; first row after $FIRST_ROW_MS ms; RSS $((RSS_KB / 1024)) MiB after ${RUN_SECONDS} s, peak $((HWM_KB / 1024)) MiB; stopped by SIGTERM in $STOP_MS ms, exit $EXIT_CODE"
echo "image_mib=$((SIZE / 1048576)) health_ms=$HEALTH_MS first_row_ms=$FIRST_ROW_MS rss_mib=$((RSS_KB / 1024)) peak_rss_mib=$((HWM_KB / 1024)) stop_ms=$STOP_MS exit=$EXIT_CODE"
