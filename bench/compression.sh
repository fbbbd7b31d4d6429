#!/usr/bin/env bash
# Data-lifecycle benchmark (issue 16): one device-day of operation1 (bank, 8 racks, pcs, etc at 1 Hz:
# 950,400 rows) in the gateway's own schema, then
#   - bytes per row of each table (hypertable_size: heap, indexes, TOAST), before compression and,
#     where the server is TimescaleDB's community edition, after compress_chunk, with the ratio;
#   - the time of one device-day query: the status page's six bank series in 15-minute steps and the
#     rack SOC per rack in 15-minute steps, from the raw rows and from the rollups bank_1m/_15m and
#     rack_15m (server-side execution time from EXPLAIN ANALYZE, median of BENCH_REPEAT runs after a
#     warm-up), raw again after compression where it exists.
# On the Apache edition (Debian's package) there is no compression: the script says so and reports what
# it can measure. The rollups are read right after loading, before the gateway refreshed them: on the
# Apache edition that is their real-time part (the raw rows aggregated at read time); bench/rollups.sh
# measures them materialized.
#
#   bench/compression.sh                      markdown to stdout and target/bench-compression/results.md
#
# The values are synthetic (smooth per-column signals and cycling flags, generated in SQL); the schema
# comes from the service itself. Re-runnable: the database ess_bench_lifecycle is recreated.
# Needs: the jar (built here if missing), psql, the test TimescaleDB (scripts/timescaledb.sh start).
# Shares its helpers with bench/rollups.sh (bench/lifecycle-lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${BENCH_OUT:-target/bench-compression}"
REPEAT="${BENCH_REPEAT:-5}"
DB=ess_bench_lifecycle
DAY=2026-11-26
SITE=bench-site
BENCH_NAME=compression-bench
. bench/lifecycle-lib.sh

prepare_schema
log "edition: $LICENSE; $(grep -o 'TimescaleDB.s apache edition.*\|TimescaleDB community edition.*' "$OUT/schema.log" | head -1)"

log "generating one device-day ($DAY UTC, one chunk) of every operation1 table"
generate_rows "$SITE" "'$DAY 00:00+00'" "'$DAY 00:00+00'::timestamptz + INTERVAL '1 day'" bank rack pcs etc

W="\"SITE_ID\" = '$SITE' AND \"TIMESTAMP\" >= '$DAY 00:00+00' AND \"TIMESTAMP\" < '$DAY 00:00+00'::timestamptz + INTERVAL '1 day'"
B='floor(extract(epoch FROM "TIMESTAMP") / 900)::int8 * 900'
RAW_BANK="SELECT $B b, avg(\"BANK_SOC\"), avg(\"BANK_DC_VOLT\"), avg(\"BANK_DC_CURRENT\"), avg(\"BANK_POWER\"), max(\"MAX_CELL_TEMPERATURE_OF_BANK\"), min(\"MIN_CELL_TEMPERATURE_OF_BANK\") FROM bank WHERE $W GROUP BY 1"
roll_bank() { echo "SELECT $B b, sum(\"BANK_SOC_avg\" * samples) / sum(samples), sum(\"BANK_DC_VOLT_avg\" * samples) / sum(samples), sum(\"BANK_DC_CURRENT_avg\" * samples) / sum(samples), sum(\"BANK_POWER_avg\" * samples) / sum(samples), max(\"MAX_CELL_TEMPERATURE_OF_BANK_max\"), min(\"MIN_CELL_TEMPERATURE_OF_BANK_min\") FROM bank_$1 WHERE $W GROUP BY 1"; }
RAW_RACK="SELECT $B b, \"RACK_ID\", avg(\"RACK_SOC\") FROM rack WHERE $W GROUP BY 1, 2"
ROLL_RACK="SELECT $B b, \"RACK_ID\", sum(\"RACK_SOC_avg\" * samples) / sum(samples) FROM rack_15m WHERE $W GROUP BY 1, 2"

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
  echo "| the same from bank_1m (not refreshed yet) | $(ms "$(roll_bank 1m)") |"
  echo "| the same from bank_15m (not refreshed yet) | $(ms "$(roll_bank 15m)") |"
  echo "| rack SOC per rack in 15-min steps, raw rows | $(ms "$RAW_RACK") |"
  echo "| the same from rack_15m (not refreshed yet) | $(ms "$ROLL_RACK") |"
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
    echo "Compression not measured: the \`$LICENSE\` edition has no columnstore (compress_chunk is refused). Its rollups were read"
    echo "before the gateway refreshed them, so from the raw rows; bench/rollups.sh measures them materialized."
  fi
} | tee "$OUT/results.md"
