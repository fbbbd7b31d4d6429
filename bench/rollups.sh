#!/usr/bin/env bash
# Rollup benchmark (issue 16: "a 30-day chart request returns in well under a second"), for the rollup
# tables the gateway refreshes itself on TimescaleDB's Apache edition:
#   - loads BENCH_DAYS (30) days of one operation1 device's bank rows at 1 Hz up to 10 minutes ago,
#     and a full operation1 site (bank, 8 racks, pcs, etc at 1 Hz) from 10 minutes ago to 5 minutes
#     ahead, generated in SQL in the gateway's own schema;
#   - starts the service (device "bench", HTTP on a free port) and reports its refresh cycles
#     (the refresher's DEBUG line): the first one materializes the whole history, the next ones
#     one new minute of the full site (1m and 15m rollups of every table);
#   - times the 30-day chart: the status page's request GET /api/devices/bench/history?minutes=43200
#     (wall time with curl, median of BENCH_REPEAT after a warm-up) and its SQL on bank_15m and on
#     the raw rows (server execution time, EXPLAIN ANALYZE, median of BENCH_REPEAT after a warm-up).
#
#   bench/rollups.sh                          markdown to stdout and target/bench-rollups/results.md
#
# Re-runnable: the database ess_bench_rollups is recreated. Helpers shared with bench/compression.sh
# (bench/lifecycle-lib.sh). Needs: the jar, psql, curl, the test TimescaleDB (scripts/timescaledb.sh start).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${BENCH_OUT:-target/bench-rollups}"
REPEAT="${BENCH_REPEAT:-5}"
DAYS="${BENCH_DAYS:-30}"
DB=ess_bench_rollups
SITE=bench
BENCH_NAME=rollups-bench
. bench/lifecycle-lib.sh

prepare_schema
[ "$LICENSE" = apache ] || log "edition $LICENSE: the rollups are continuous aggregates here, refreshed by their policies, not by the gateway"
NOW=$(q "SELECT date_trunc('minute', now())")
log "generating $DAYS days of bank rows and 15 minutes of a full site around $NOW"
T0=$(date +%s)
generate_rows "$SITE" "'$NOW'::timestamptz - INTERVAL '$DAYS days'" "'$NOW'::timestamptz - INTERVAL '10 minutes'" bank
generate_rows "$SITE" "'$NOW'::timestamptz - INTERVAL '10 minutes'" "'$NOW'::timestamptz + INTERVAL '5 minutes'" bank rack pcs etc
log "generated in $(( $(date +%s) - T0 )) s"

HTTP=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "starting the service (HTTP on $HTTP) and waiting for three refresh cycles"
start_service "$OUT/service.log" -Dquarkus.http.host-enabled=true -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP" \
  -Dquarkus.log.category.\"org.openess.gateway.storage.RollupRefresher\".level=DEBUG
cycles() { grep -o 'rollups refreshed in [0-9]* ms' "$OUT/service.log" | grep -o '[0-9]*' || true; }
for _ in $(seq 1 400); do [ "$(cycles | wc -l)" -ge 3 ] && break; sleep 1; done
mapfile -t CYCLES < <(cycles)
[ "${#CYCLES[@]}" -ge 3 ] || { log "fewer than three refresh cycles"; tail -20 "$OUT/service.log" >&2; exit 1; }

B='floor(extract(epoch FROM "TIMESTAMP") / 900)::int8 * 900'
W="\"SITE_ID\" = '$SITE' AND \"TIMESTAMP\" >= now() - INTERVAL '30 days' AND \"TIMESTAMP\" < now()"
avg() { echo "(sum(\"$1_avg\" * samples) / nullif(sum(samples) FILTER (WHERE \"$1_avg\" IS NOT NULL), 0))::float8"; }
ROLLED="SELECT $B b, $(avg BANK_SOC), $(avg BANK_DC_VOLT), $(avg BANK_DC_CURRENT), $(avg BANK_POWER), max(\"MAX_CELL_TEMPERATURE_OF_BANK_max\")::float8, min(\"MIN_CELL_TEMPERATURE_OF_BANK_min\")::float8 FROM bank_15m WHERE $W GROUP BY b ORDER BY b"
RAW="SELECT $B b, avg(\"BANK_SOC\")::float8, avg(\"BANK_DC_VOLT\")::float8, avg(\"BANK_DC_CURRENT\")::float8, avg(\"BANK_POWER\")::float8, max(\"MAX_CELL_TEMPERATURE_OF_BANK\")::float8, min(\"MIN_CELL_TEMPERATURE_OF_BANK\")::float8 FROM bank WHERE $W GROUP BY b ORDER BY b"
CHART="http://127.0.0.1:$HTTP/api/devices/$SITE/history?minutes=43200&step=10"
curl -sf "$CHART" >"$OUT/chart.json"
RESOLUTION=$(python3 -c 'import json, sys; h = json.load(open(sys.argv[1])); print(h["resolution"], h["stepSeconds"], len(h["t"]))' "$OUT/chart.json")
walls=()
for _ in $(seq 1 "$REPEAT"); do walls+=("$(curl -sf -o /dev/null -w '%{time_total}' "$CHART" | awk '{printf "%.1f", $1 * 1000}')"); done
BANK_ROWS=$(q "SELECT count(*) FROM bank")
STORE_ROWS=$(q "SELECT count(*) FROM bank_15m_store")
stop_service

{
  echo "## Rollups: $DAYS days of one operation1 device's bank rows on TimescaleDB $(q "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"), license \`$LICENSE\`"
  echo
  echo "bank: $BANK_ROWS raw rows; bank_15m_store: $STORE_ROWS materialized buckets after the first refresh."
  echo
  echo "| refresh cycle (every table's 1m and 15m rollups) | ms |"
  echo "|---|---:|"
  echo "| first, materializing the $DAYS days of history and the full site's minutes | ${CYCLES[0]} |"
  for i in $(seq 1 $(( ${#CYCLES[@]} - 1 ))); do echo "| next, one new minute of a full operation1 site | ${CYCLES[$i]} |"; done
  echo
  echo "| 30-day chart of the status page's six bank series | ms |"
  echo "|---|---:|"
  echo "| GET /api/devices/bench/history?minutes=43200 (answer: resolution, step s, points = $RESOLUTION), wall time, median of $REPEAT | $(median "${walls[@]}") |"
  echo "| its SQL on bank_15m, server execution, median of $REPEAT | $(ms "$ROLLED") |"
  echo "| the same chart from the raw rows, server execution, median of $REPEAT | $(ms "$RAW") |"
} | tee "$OUT/results.md"
