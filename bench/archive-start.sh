#!/usr/bin/env bash
# Wall and CPU time of the archive command on a small day (69,120 rack rows of one site), for two
# jars run alternately so that both see the same background load:
#
#   bench/archive-start.sh BEFORE_JAR AFTER_JAR [ROUNDS]      (default 7 rounds)
#
# e.g. a jar built from a checkout of main against target/quarkus-app/quarkus-run.jar. Prints one
# line per run (/usr/bin/time: wall, user, sys; Quarkus' "started in") and the medians. The bench
# database ess_bench_archive_start on the test TimescaleDB is recreated each time (schema by the
# service itself, as in bench/archive.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$1; AFTER=$2; ROUNDS="${3:-7}"
DB=ess_bench_archive_start
PORT="${ESS_TSDB_PORT:-55432}"
export PGPASSWORD="${ESS_TSDB_PASSWORD:-ess}"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "${ESS_TSDB_USER:-ess}")
URL="postgresql://${ESS_TSDB_USER:-ess}:$PGPASSWORD@127.0.0.1:$PORT/$DB"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

"${PSQL[@]}" -d "${ESS_TSDB_DB:-ess}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
java -Dquarkus.http.host-enabled=false -Dquarkus.datasource.reactive.url="$URL" \
  -Dess.devices.bench.host=127.0.0.1 -Dess.devices.bench.port=9 -jar "$AFTER" >"$OUT/schema.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 120); do grep -q "schema ready" "$OUT/schema.log" && break; sleep 0.5; done
kill $SERVICE; wait $SERVICE 2>/dev/null || true
grep -q "schema ready" "$OUT/schema.log" || { cat "$OUT/schema.log" >&2; exit 1; }
"${PSQL[@]}" -d $DB -c "INSERT INTO rack (\"TIMESTAMP\", \"SITE_ID\", \"BANK_ID\", \"RACK_ID\")
  SELECT '2026-11-20 00:00:00+09'::timestamptz + (i / 8) * interval '10 seconds', 'timing-site', 1, 1 + i % 8
  FROM generate_series(0, 69119) i"

run() { # label jar
  rm -rf "$OUT/target"
  QUARKUS_DATASOURCE_REACTIVE_URL="$URL" ESS_ARCHIVE_TARGET="file:$OUT/target" ESS_ARCHIVE_ZONE=Asia/Seoul \
    /usr/bin/time -f "%e %U %S" -o "$OUT/time.txt" java -Dquarkus.http.port=0 -jar "$2" archive --date 2026-11-20 \
    --site timing-site >"$OUT/run.log" 2>&1
  grep -q "69120 row(s)" "$OUT/run.log" || { cat "$OUT/run.log" >&2; exit 1; }
  read -r wall user sys <"$OUT/time.txt"
  echo "$1 wall $wall user $user sys $sys $(grep -o 'started in [0-9.]*s' "$OUT/run.log")" | tee -a "$OUT/results.txt"
}
for _ in $(seq 1 "$ROUNDS"); do run before "$BEFORE"; run after "$AFTER"; done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
for l in before after; do
  echo "$l median wall $(awk -v l=$l '$1==l {print $3}' "$OUT/results.txt" | median) s," \
    "user $(awk -v l=$l '$1==l {print $5}' "$OUT/results.txt" | median) s"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
