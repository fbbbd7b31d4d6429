#!/usr/bin/env bash
# Archive benchmark (issue 4, item 3): one synthetic day of rack rows for one site, archived by the
# real command (java -jar ... archive) to a local folder, against psql's \copy of the same window.
#
#   bench/archive.sh                      100 k and 1 M rows
#   ARCHIVE_BENCH_ROWS="100000 1000000 10000000" bench/archive.sh
#
# For each row count it reports: the archive command's wall time (JVM start included) and the time
# its COPY-to-file step took (printed by the command), psql \copy of SELECT * (the physical limit)
# and of a SELECT that formats the timestamps as ISO-8601 on the server (whose output must equal the
# archive's file byte for byte), the ratios to SELECT *, and the archive process's peak RSS
# (/usr/bin/time -v "Maximum resident set size"), once with the JVM's default heap and once more
# with a small fixed heap (ARCHIVE_BENCH_SMALL_HEAP, default -Xmx64m) to show that the memory the
# archive needs does not grow with the day. A markdown table goes to stdout and to
# $ARCHIVE_BENCH_OUT/results.md (default target/bench-archive). The machine may be shared, so every
# measurement is taken ARCHIVE_BENCH_REPEAT times (default 3), interleaved, and the fastest kept.
# Re-runnable: the bench database (ess_bench_archive on the test TimescaleDB) and the output folder
# are recreated each time.
# Needs: the jar (built here if missing), psql, /usr/bin/time. Extra JVM options: ARCHIVE_BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS_LIST="${ARCHIVE_BENCH_ROWS:-100000 1000000}"
OUT="${ARCHIVE_BENCH_OUT:-target/bench-archive}"
JAVA_OPTS="${ARCHIVE_BENCH_JAVA_OPTS:-}"
SMALL_HEAP="${ARCHIVE_BENCH_SMALL_HEAP:--Xmx64m}"
REPEAT="${ARCHIVE_BENCH_REPEAT:-3}"
DB=ess_bench_archive
DAY=2026-11-26
ZONE=Asia/Seoul
SITE=bench-site
RACKS=8
JAR=target/quarkus-app/quarkus-run.jar
PORT="${ESS_TSDB_PORT:-55432}"
export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "${ESS_TSDB_USER:-ess}")
URL="postgresql://${ESS_TSDB_USER:-ess}:$PGPASSWORD@127.0.0.1:$PORT/$DB"

log() { echo "[archive-bench] $*" >&2; }

[ -f "$JAR" ] || { log "building the jar"; ./mvnw -o -B -q package -DskipTests; }
scripts/timescaledb.sh start >/dev/null 2>&1 || scripts/timescaledb.sh start
rm -rf "$OUT"; mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

"${PSQL[@]}" -d "${ESS_TSDB_DB:-ess}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

# The schema comes from the service itself (SchemaManager): start it with one device that does not
# answer, wait until the schema is ready, stop it.
log "creating the schema with the service"
: > "$OUT/schema.log"
java -Dquarkus.http.host-enabled=false -Dquarkus.datasource.reactive.url="$URL" \
  -Dess.devices.bench.host=127.0.0.1 -Dess.devices.bench.port=9 -jar "$JAR" >"$OUT/schema.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "schema ready" "$OUT/schema.log" && break; sleep 0.5; done
grep -q "schema ready" "$OUT/schema.log" || { cat "$OUT/schema.log" >&2; exit 1; }
kill $SERVICE; wait $SERVICE 2>/dev/null || true
trap - EXIT

# one SELECT-list expression per rack column: deterministic values that vary like real ones
select_list() {
  local n=$1 step_us=$2 k=0 exprs=()
  while IFS='|' read -r col type; do
    k=$((k + 1))
    case "$col" in
      TIMESTAMP) exprs+=("'$DAY 00:00:00+09'::timestamptz + (i / $RACKS) * interval '$step_us microseconds'") ;;
      SITE_ID) exprs+=("'$SITE'") ;;
      BANK_ID) exprs+=("1") ;;
      RACK_ID) exprs+=("1 + i % $RACKS") ;;
      *) case "$type" in
           "double precision") exprs+=("((i * $k + $k * 7919) % 100000) / 100.0") ;;
           integer|bigint) exprs+=("(i + $k) % 4") ;;
           boolean) exprs+=("(i + $k) % 2 = 0") ;;
           *) exprs+=("NULL") ;;
         esac ;;
    esac
  done < <("${PSQL[@]}" -d $DB -Atc "SELECT column_name || '|' || data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'rack' ORDER BY ordinal_position")
  local IFS=,
  echo "${exprs[*]}"
}

# ISO-8601 timestamps formatted by the server, for a zone with whole-hour offsets: the psql run that
# must produce the archive's file byte for byte
ISO="replace(r.\"TIMESTAMP\"::text, ' ', 'T') || ':00'"
WINDOW="\"SITE_ID\" = '$SITE' AND \"TIMESTAMP\" >= '$DAY 00:00:00+09' AND \"TIMESTAMP\" < timestamptz '$DAY 00:00:00+09' + interval '1 day'"
ORDER="ORDER BY r.\"TIMESTAMP\", r.\"BANK_ID\", r.\"RACK_ID\""

seconds() { awk -F: '/Elapsed \(wall clock\)/ { n = split($0, a, ": "); t = a[n]; m = split(t, p, ":"); s = 0; for (i = 1; i <= m; i++) s = s * 60 + p[i]; print s }' "$1"; }
least() { printf '%s\n' "$@" | sort -g | sed -n 1p; }
most() { printf '%s\n' "$@" | sort -g | tail -1; }
maxrss_mib() { awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$1"; }

{
  echo "| rows | CSV MiB | archive command s (JVM start incl.) | archive COPY→file step s | psql \\copy SELECT * s | psql \\copy, ISO timestamps by the server s | command / psql SELECT * | COPY step / psql SELECT * | peak RSS MiB (default heap) | with $SMALL_HEAP: command s / peak RSS MiB |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$OUT/results.md"

for N in $ROWS_LIST; do
  PER_RACK=$(( (N + RACKS - 1) / RACKS ))
  STEP_US=$(( 86400000000 / PER_RACK ))
  log "N=$N: loading (INSERT ... SELECT generate_series on the server)"
  "${PSQL[@]}" -d $DB -c "TRUNCATE rack" \
    -c "INSERT INTO rack SELECT $(select_list "$N" "$STEP_US") FROM generate_series(0, $N - 1) i" \
    -c "VACUUM ANALYZE rack"
  COUNT=$("${PSQL[@]}" -d $DB -Atc "SELECT count(*) FROM rack r WHERE $WINDOW")
  [ "$COUNT" = "$N" ] || { log "expected $N rows in the window, found $COUNT"; exit 1; }

  # warm the cache the same way for everyone: one untimed read of the window
  "${PSQL[@]}" -d $DB -Atc "SELECT count(*), sum(\"RACK_SOC\") FROM rack r WHERE $WINDOW" >/dev/null

  COLS=$("${PSQL[@]}" -d $DB -Atc "SELECT string_agg(CASE WHEN column_name = 'TIMESTAMP' THEN '$(printf '%s' "$ISO" | sed "s/'/''/g") AS \"TIMESTAMP\"'
      ELSE quote_ident(column_name) END, ', ' ORDER BY ordinal_position) FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'rack'")
  CSV_PATH="$SITE/${DAY:0:4}/${DAY:5:2}/${DAY:8:2}/$DAY-rack.csv"
  CMDS=(); COPIES=(); STARS=(); SAMES=(); RSSS=(); SMALLS=(); SMALL_RSSS=()
  # rounds interleave the four measurements so that all of them see the same background load;
  # each time reported is the fastest round, each RSS the largest
  for R in $(seq 1 "$REPEAT"); do
    log "N=$N round $R/$REPEAT: archive command"
    rm -rf "$OUT/archive-$N"
    # shellcheck disable=SC2086
    QUARKUS_DATASOURCE_REACTIVE_URL="$URL" ESS_ARCHIVE_TARGET="file:$OUT/archive-$N" ESS_ARCHIVE_ZONE=$ZONE \
      /usr/bin/time -v -o "$OUT/time-archive-$N-$R.txt" java $JAVA_OPTS -jar "$JAR" archive --date $DAY --site $SITE \
      >"$OUT/archive-$N-$R.log" 2>&1
    grep -q " 1 file(s), $N row(s)" "$OUT/archive-$N-$R.log" || { cat "$OUT/archive-$N-$R.log" >&2; exit 1; }
    CSV="$OUT/archive-$N/$CSV_PATH"
    CMDS+=("$(seconds "$OUT/time-archive-$N-$R.txt")"); RSSS+=("$(maxrss_mib "$OUT/time-archive-$N-$R.txt")")
    COPIES+=("$(grep -E "  rack +[0-9]+ rows" "$OUT/archive-$N-$R.log" | sed -E 's/.*\(([0-9.]+) s\)$/\1/')")

    log "N=$N round $R/$REPEAT: archive command with $SMALL_HEAP"
    rm -rf "$OUT/archive-$N-small"
    # shellcheck disable=SC2086
    QUARKUS_DATASOURCE_REACTIVE_URL="$URL" ESS_ARCHIVE_TARGET="file:$OUT/archive-$N-small" ESS_ARCHIVE_ZONE=$ZONE \
      /usr/bin/time -v -o "$OUT/time-archive-small-$N-$R.txt" java $SMALL_HEAP -jar "$JAR" archive --date $DAY --site $SITE \
      >"$OUT/archive-small-$N-$R.log" 2>&1
    grep -q " 1 file(s), $N row(s)" "$OUT/archive-small-$N-$R.log" || { cat "$OUT/archive-small-$N-$R.log" >&2; exit 1; }
    cmp -s "$CSV" "$OUT/archive-$N-small/$CSV_PATH" || { log "the small-heap run wrote a different file"; exit 1; }
    rm -rf "$OUT/archive-$N-small"
    SMALLS+=("$(seconds "$OUT/time-archive-small-$N-$R.txt")"); SMALL_RSSS+=("$(maxrss_mib "$OUT/time-archive-small-$N-$R.txt")")

    log "N=$N round $R/$REPEAT: psql \\copy"
    /usr/bin/time -v -o "$OUT/time-psql-star-$N-$R.txt" "${PSQL[@]}" -d $DB \
      -c "\\copy (SELECT * FROM rack r WHERE $WINDOW $ORDER) TO '$OUT/psql-star-$N.csv' WITH (FORMAT csv, HEADER)"
    PGTZ=$ZONE /usr/bin/time -v -o "$OUT/time-psql-same-$N-$R.txt" "${PSQL[@]}" -d $DB \
      -c "\\copy (SELECT $COLS FROM rack r WHERE $WINDOW $ORDER) TO '$OUT/psql-same-$N.csv' WITH (FORMAT csv, HEADER)"
    cmp -s "$CSV" "$OUT/psql-same-$N.csv" || { log "archive CSV differs from psql's with the same SELECT"; exit 1; }
    STARS+=("$(seconds "$OUT/time-psql-star-$N-$R.txt")"); SAMES+=("$(seconds "$OUT/time-psql-same-$N-$R.txt")")
  done

  CMD_S=$(least "${CMDS[@]}"); COPY_S=$(least "${COPIES[@]}"); STAR_S=$(least "${STARS[@]}"); SAME_S=$(least "${SAMES[@]}")
  SMALL_S=$(least "${SMALLS[@]}"); RSS=$(most "${RSSS[@]}"); SMALL_RSS=$(most "${SMALL_RSSS[@]}")
  MIB=$(awk -v b="$(stat -c %s "$CSV")" 'BEGIN { printf "%.1f", b / 1048576 }')
  awk -v n="$N" -v mib="$MIB" -v cmd="$CMD_S" -v cp="$COPY_S" -v star="$STAR_S" -v same="$SAME_S" -v rss="$RSS" \
    -v ss="$SMALL_S" -v srss="$SMALL_RSS" 'BEGIN {
    printf "| %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %.2f / %s |\n", n, mib, cmd, cp, star, same, cmd / star, cp / star, rss, ss, srss }' \
    >> "$OUT/results.md"
  rm -f "$OUT/psql-star-$N.csv" "$OUT/psql-same-$N.csv"
  rm -rf "$OUT/archive-$N"
done

"${PSQL[@]}" -d "${ESS_TSDB_DB:-ess}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
cat "$OUT/results.md"
