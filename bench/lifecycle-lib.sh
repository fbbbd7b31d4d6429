# Helpers of the data-lifecycle benchmarks (bench/compression.sh, bench/rollups.sh); sourced, not run.
# The caller sets BENCH_NAME (log prefix), DB (the database it recreates) and OUT (its output folder).
# Needs: the jar (built here if missing), psql, the test TimescaleDB (scripts/timescaledb.sh start).

JAR=target/quarkus-app/quarkus-run.jar
PORT="${ESS_TSDB_PORT:-55432}"
export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "${ESS_TSDB_USER:-ess}")
URL="postgresql://${ESS_TSDB_USER:-ess}:$PGPASSWORD@127.0.0.1:$PORT/$DB"
SERVICE=

log() { echo "[$BENCH_NAME] $*" >&2; }
q() { "${PSQL[@]}" -d "$DB" -At -c "$1"; }

# the jar and the server there, the database $DB empty, $OUT empty
prepare_db() {
  [ -f "$JAR" ] || { log "building the jar"; ./mvnw -o -B -q package -DskipTests; }
  scripts/timescaledb.sh status >/dev/null 2>&1 || scripts/timescaledb.sh start
  rm -rf "$OUT"; mkdir -p "$OUT"
  "${PSQL[@]}" -d "${ESS_TSDB_DB:-ess}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
}

# prepare_db, then the gateway's schema on $DB made by the service itself; sets LICENSE (timescaledb.license)
prepare_schema() {
  prepare_db
  log "creating the schema with the service"
  start_service "$OUT/schema.log"
  stop_service
  LICENSE=$(q "SELECT current_setting('timescaledb.license')")
}

# start_service LOG [java -D options]: the service on $DB with one operation1 device "bench" that
# never answers (port 9), HTTP off unless an option turns it on; returns once its schema is ready
start_service() {
  local out="$1"; shift
  java -Dquarkus.http.host-enabled=false "$@" -Dquarkus.datasource.reactive.url="$URL" \
    -Dess.devices.bench.host=127.0.0.1 -Dess.devices.bench.port=9 -jar "$JAR" >"$out" 2>&1 &
  SERVICE=$!
  trap 'stop_service' EXIT
  for _ in $(seq 1 120); do grep -q "schema ready" "$out" && break; sleep 0.5; done
  grep -q "schema ready" "$out" || { cat "$out" >&2; exit 1; }
}

stop_service() {
  [ -n "$SERVICE" ] || return 0
  kill "$SERVICE" 2>/dev/null || true
  wait "$SERVICE" 2>/dev/null || true
  SERVICE=
  trap - EXIT
}

# generate_rows SITE FROM TO TABLE...: the tables' rows of one operation1 device at 1 Hz in [FROM, TO)
# (SQL timestamps), 8 racks per second in rack; smooth per-column signals and cycling flags
generate_rows() {
  local site="$1" from="$2" to="$3"; shift 3
  "${PSQL[@]}" -d "$DB" <<SQL
DO \$\$
DECLARE t text; cols text; vals text; c record; k int;
BEGIN
  FOREACH t IN ARRAY ARRAY['$(echo "$*" | sed "s/ /', '/g")'] LOOP
    cols := '"TIMESTAMP", "SITE_ID"'; vals := 'ts, ''$site'''; k := 0;
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
                   'INTERVAL ''1 second'') ts, generate_series(1, %s) r', t, cols, vals, ($from)::timestamptz, ($to)::timestamptz,
                   CASE WHEN t = 'rack' THEN 8 ELSE 1 END);
  END LOOP;
END
\$\$;
ANALYZE;
SQL
}

# ms SQL: server-side execution time in ms (EXPLAIN ANALYZE), median of $REPEAT runs after one warm-up
ms() {
  local sql="$1" times=()
  q "EXPLAIN (ANALYZE, TIMING OFF) $sql" >/dev/null
  for _ in $(seq 1 "$REPEAT"); do
    times+=("$(q "EXPLAIN (ANALYZE, TIMING OFF) $sql" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')")
  done
  median "${times[@]}"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]}'; }
