#!/usr/bin/env bash
# Data-lifecycle benchmark (issue 16): one device-day of operation1 (bank, 8 racks, pcs, etc at 1 Hz:
# 950,400 rows) in the gateway's own schema, then
#   - bytes per row of each table (hypertable_size: heap, indexes, TOAST), before compression and,
#     where the server is TimescaleDB's community edition, after compress_chunk, with the ratio;
#   - the time of one device-day query: the status page's six bank series in 15-minute steps and the
#     rack SOC per rack in 15-minute steps, from the raw rows and from the rollups bank_1m/_15m and
#     rack_15m (server-side execution time from EXPLAIN ANALYZE, median of BENCH_REPEAT runs after a
#     warm-up), raw again after compression where it exists.
# On the Apache edition (Debian's package) there is no compression and the rollups are views over the
# raw rows: the script says so and reports what it can measure.
#
#   bench/compression.sh                      markdown to stdout and target/bench-compression/results.md
#
# The values are synthetic (smooth per-column signals and cycling flags, generated in SQL); the schema
# comes from the service itself. Re-runnable: the database ess_bench_lifecycle is recreated.
# Needs: the jar (built here if missing), psql, the test TimescaleDB (scripts/timescaledb.sh start).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${BENCH_OUT:-target/bench-compression}"
REPEAT="${BENCH_REPEAT:-5}"
DB=ess_bench_lifecycle
DAY=2026-11-26
SITE=bench-site
JAR=target/quarkus-app/quarkus-run.jar
PORT="${ESS_TSDB_PORT:-55432}"
export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "${ESS_TSDB_USER:-ess}")
URL="postgresql://${ESS_TSDB_USER:-ess}:$PGPASSWORD@127.0.0.1:$PORT/$DB"

log() { echo "[compression-bench] $*" >&2; }
q() { "${PSQL[@]}" -d "$DB" -At -c "$1"; }

[ -f "$JAR" ] || { log "building the jar"; ./mvnw -o -B -q package -DskipTests; }
scripts/timescaledb.sh status >/dev/null 2>&1 || scripts/timescaledb.sh start
rm -rf "$OUT"; mkdir -p "$OUT"
"${PSQL[@]}" -d "${ESS_TSDB_DB:-ess}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

log "creating the schema with the service"
java -Dquarkus.http.host-enabled=false -Dquarkus.datasource.reactive.url="$URL" \
  -Dess.devices.bench.host=127.0.0.1 -Dess.devices.bench.port=9 -jar "$JAR" >"$OUT/schema.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "schema ready" "$OUT/schema.log" && break; sleep 0.5; done
grep -q "schema ready" "$OUT/schema.log" || { cat "$OUT/schema.log" >&2; exit 1; }
kill $SERVICE; wait $SERVICE 2>/dev/null || true
trap - EXIT
LICENSE=$(q "SELECT current_setting('timescaledb.license')")
log "edition: $LICENSE; $(grep -o 'TimescaleDB.s apache edition.*\|TimescaleDB community edition.*' "$OUT/schema.log" | head -1)"

log "generating one device-day ($DAY UTC, one chunk) of every operation1 table"
"${PSQL[@]}" -d "$DB" <<SQL
DO \$\$
DECLARE t text; cols text; vals text; c record; k int;
BEGIN
  FOREACH t IN ARRAY ARRAY['bank', 'rack', 'pcs', 'etc'] LOOP
    cols := '"TIMESTAMP", "SITE_ID"'; vals := 'ts, ''$SITE'''; k := 0;
    FOR c IN SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema()
        AND table_name = t AND column_name NOT IN ('TIMESTAMP', 'SITE_ID') ORDER BY ordinal_position LOOP
      k := k + 1;
      cols := cols || ', ' || quote_ident(c.column_name);
      vals := vals || ', ' || CASE
        WHEN c.column_name = 'BANK_ID' THEN '1'
        WHEN c.column_name = 'RACK_ID' THEN 'r'
        WHEN c.udt_name = 'float8' THEN format('round((%s + %s * sin(extract(epoch FROM ts) / %s + r) + random() * 0.2)::numeric, 1)::float8',
                                               (k * 37) % 700, 1 + k % 17, 600 + 97 * k)
        WHEN c.udt_name IN ('int4', 'int8') THEN format('((extract(epoch FROM ts)::int8 / %s + r) %% %s)::%s', 60 + 13 * k, 2 + k % 5, c.udt_name)
        WHEN c.udt_name = 'bool' THEN 'false'
        ELSE 'NULL' END;
    END LOOP;
    EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM generate_series(%L::timestamptz, %L::timestamptz - INTERVAL ''1 second'', '
                   'INTERVAL ''1 second'') ts, generate_series(1, %s) r', t, cols, vals, '$DAY 00:00+00', '$DAY 00:00+00'::timestamptz
                   + INTERVAL '1 day', CASE WHEN t = 'rack' THEN 8 ELSE 1 END);
  END LOOP;
END
\$\$;
ANALYZE;
SQL

W="\"SITE_ID\" = '$SITE' AND \"TIMESTAMP\" >= '$DAY 00:00+00' AND \"TIMESTAMP\" < '$DAY 00:00+00'::timestamptz + INTERVAL '1 day'"
B='floor(extract(epoch FROM "TIMESTAMP") / 900)::int8 * 900'
RAW_BANK="SELECT $B b, avg(\"BANK_SOC\"), avg(\"BANK_DC_VOLT\"), avg(\"BANK_DC_CURRENT\"), avg(\"BANK_POWER\"), max(\"MAX_CELL_TEMPERATURE_OF_BANK\"), min(\"MIN_CELL_TEMPERATURE_OF_BANK\") FROM bank WHERE $W GROUP BY 1"
roll_bank() { echo "SELECT $B b, sum(\"BANK_SOC_avg\" * samples) / sum(samples), sum(\"BANK_DC_VOLT_avg\" * samples) / sum(samples), sum(\"BANK_DC_CURRENT_avg\" * samples) / sum(samples), sum(\"BANK_POWER_avg\" * samples) / sum(samples), max(\"MAX_CELL_TEMPERATURE_OF_BANK_max\"), min(\"MIN_CELL_TEMPERATURE_OF_BANK_min\") FROM bank_$1 WHERE $W GROUP BY 1"; }
RAW_RACK="SELECT $B b, \"RACK_ID\", avg(\"RACK_SOC\") FROM rack WHERE $W GROUP BY 1, 2"
ROLL_RACK="SELECT $B b, \"RACK_ID\", sum(\"RACK_SOC_avg\" * samples) / sum(samples) FROM rack_15m WHERE $W GROUP BY 1, 2"

# server-side execution time in ms, median of REPEAT runs after one warm-up
ms() {
  local sql="$1" times=()
  q "EXPLAIN (ANALYZE, TIMING OFF) $sql" >/dev/null
  for _ in $(seq 1 "$REPEAT"); do
    times+=("$(q "EXPLAIN (ANALYZE, TIMING OFF) $sql" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]}'
}
sizes() {
  for t in bank rack pcs etc; do
    echo "$t|$(q "SELECT count(*) FROM $t")|$(q "SELECT hypertable_size('$t')")"
  done
}

{
  echo "## Data lifecycle: one operation1 device-day ($DAY, 950,400 rows) on TimescaleDB $(q "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"), license \`$LICENSE\`"
  echo
  echo "| table | rows | bytes (heap + indexes + TOAST) | bytes/row |"
  echo "|---|---:|---:|---:|"
  TOTAL_ROWS=0; TOTAL_BYTES=0
  while IFS='|' read -r t rows bytes; do
    echo "| $t | $rows | $bytes | $(awk -v b="$bytes" -v r="$rows" 'BEGIN {printf "%.0f", b / r}') |"
    TOTAL_ROWS=$((TOTAL_ROWS + rows)); TOTAL_BYTES=$((TOTAL_BYTES + bytes))
  done < <(sizes)
  echo "| all | $TOTAL_ROWS | $TOTAL_BYTES | $(awk -v b="$TOTAL_BYTES" -v r="$TOTAL_ROWS" 'BEGIN {printf "%.0f", b / r}') |"
  echo
  echo "| device-day query (server execution, median of $REPEAT) | ms |"
  echo "|---|---:|"
  echo "| bank, six series in 15-min steps, raw rows | $(ms "$RAW_BANK") |"
  echo "| the same from bank_1m | $(ms "$(roll_bank 1m)") |"
  echo "| the same from bank_15m | $(ms "$(roll_bank 15m)") |"
  echo "| rack SOC per rack in 15-min steps, raw rows | $(ms "$RAW_RACK") |"
  echo "| the same from rack_15m | $(ms "$ROLL_RACK") |"
  if [ "$LICENSE" = timescale ]; then
    log "compressing"
    for t in bank rack pcs etc; do q "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('$t') c" >/dev/null; done
    q "ANALYZE" >/dev/null
    echo
    echo "| after compression | rows | bytes | bytes/row | ratio |"
    echo "|---|---:|---:|---:|---:|"
    C_BYTES=0
    while IFS='|' read -r t rows bytes; do
      C_BYTES=$((C_BYTES + bytes))
      echo "| $t | $rows | $bytes | $(awk -v b="$bytes" -v r="$rows" 'BEGIN {printf "%.1f", b / r}') | |"
    done < <(sizes)
    echo "| all | $TOTAL_ROWS | $C_BYTES | $(awk -v b="$C_BYTES" -v r="$TOTAL_ROWS" 'BEGIN {printf "%.1f", b / r}') | $(awk -v a="$TOTAL_BYTES" -v b="$C_BYTES" 'BEGIN {printf "%.1f×", a / b}') |"
    echo
    echo "| device-day query after compression | ms |"
    echo "|---|---:|"
    echo "| bank, six series in 15-min steps, raw rows | $(ms "$RAW_BANK") |"
    echo "| rack SOC per rack in 15-min steps, raw rows | $(ms "$RAW_RACK") |"
  else
    echo
    echo "Compression not measured: the \`$LICENSE\` edition has no columnstore (compress_chunk is refused), and its rollups are views"
    echo "over the raw rows, so a rollup query does the raw query's work plus the bucketing."
  fi
} | tee "$OUT/results.md"
