#!/usr/bin/env bash
# Provisions and runs a local TimescaleDB (PostgreSQL 17 + timescaledb 2.19) on a loopback port,
# for the test suite, the benchmarks and manual trials. Needs root (apt-get, debootstrap, chroot).
#
#   scripts/timescaledb.sh start    install if missing, start, create role/db; idempotent
#   scripts/timescaledb.sh stop     stop the server
#   scripts/timescaledb.sh status   exit 0 if it accepts connections
#   scripts/timescaledb.sh url      print the reactive URL for quarkus.datasource.reactive.url
#
# Debian 13 ships postgresql-17-timescaledb; Debian 12 does not, so there the server runs from a
# minimal Debian 13 root made with debootstrap (no Docker needed). The server listens on
# 127.0.0.1 only and connects from the host like any other PostgreSQL.
set -euo pipefail

PORT="${ESS_TSDB_PORT:-55432}"
ROOT="${ESS_TSDB_ROOT:-/var/tmp/ess-timescaledb}"
DB_USER="${ESS_TSDB_USER:-ess}"
DB_PASS="${ESS_TSDB_PASSWORD:-ess}"
DB_NAME="${ESS_TSDB_DB:-ess}"
PGDATA_IN_ROOT=/var/lib/ess-tsdb/data
PGBIN=/usr/lib/postgresql/17/bin

log() { echo "[timescaledb] $*" >&2; }

if grep -q '^13' /etc/debian_version 2>/dev/null; then NATIVE=1; ROOT=""; else NATIVE=0; fi

in_root() { # run a shell command inside the server's root (chroot on Debian 12)
  if [ "$NATIVE" = 1 ]; then bash -c "$1"; else chroot "$ROOT" /bin/bash -c "$1"; fi
}
as_postgres() { # run a command (argument vector, no shell) as the postgres user
  if [ "$NATIVE" = 1 ]; then runuser -u postgres -- "$@"; else chroot "$ROOT" runuser -u postgres -- "$@"; fi
}
psql_admin() { as_postgres psql -h /tmp -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

install() {
  if [ "$NATIVE" = 1 ]; then
    if [ ! -x "$PGBIN/postgres" ] || ! ls /usr/lib/postgresql/17/lib/timescaledb*.so >/dev/null 2>&1; then
      log "installing postgresql-17 and postgresql-17-timescaledb from Debian"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-17 postgresql-17-timescaledb >/dev/null
    fi
    return
  fi
  if [ -x "$ROOT$PGBIN/postgres" ] && ls "$ROOT"/usr/lib/postgresql/17/lib/timescaledb*.so >/dev/null 2>&1; then
    return
  fi
  command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  log "debootstrap Debian 13 (trixie) into $ROOT"
  rm -rf "$ROOT"; mkdir -p "$ROOT"
  debootstrap --variant=minbase trixie "$ROOT" http://deb.debian.org/debian >/tmp/ess-tsdb-debootstrap.log 2>&1 \
    || { tail -20 /tmp/ess-tsdb-debootstrap.log >&2; exit 1; }
  # the policy script keeps apt from trying to start services inside the chroot
  printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"; chmod +x "$ROOT/usr/sbin/policy-rc.d"
  log "installing postgresql-17 and postgresql-17-timescaledb in the root"
  chroot "$ROOT" /bin/bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-17 postgresql-17-timescaledb >/dev/null'
}

is_up() { pg_isready_cmd >/dev/null 2>&1; }
pg_isready_cmd() { in_root "$PGBIN/pg_isready -h 127.0.0.1 -p $PORT -q"; }

init_cluster() {
  if in_root "test -f $PGDATA_IN_ROOT/PG_VERSION"; then return; fi
  log "initdb in $ROOT$PGDATA_IN_ROOT"
  in_root "mkdir -p $PGDATA_IN_ROOT && chown -R postgres:postgres $(dirname $PGDATA_IN_ROOT)"
  as_postgres "$PGBIN/initdb" -D "$PGDATA_IN_ROOT" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  in_root "cat >> $PGDATA_IN_ROOT/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
shared_preload_libraries = 'timescaledb'
timescaledb.telemetry_level = off
dynamic_shared_memory_type = mmap
unix_socket_directories = '/tmp'
max_connections = 200
shared_buffers = 256MB
synchronous_commit = on
fsync = on
CONF
}

start() {
  install
  init_cluster
  if ! is_up; then
    log "starting on 127.0.0.1:$PORT"
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_IN_ROOT" -l /tmp/ess-tsdb.log -w -t 60 start >/dev/null \
      || { in_root "tail -30 /tmp/ess-tsdb.log" >&2; exit 1; }
  fi
  psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'" | grep -q 1 \
    || psql_admin -c "CREATE ROLE \"$DB_USER\" LOGIN SUPERUSER PASSWORD '$DB_PASS'"
  psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1 \
    || psql_admin -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\""
  log "ready: $(url)"
}

stop() {
  if is_up; then as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_IN_ROOT" -m fast -w stop >/dev/null; log "stopped"; fi
}

url() { echo "postgresql://$DB_USER:$DB_PASS@127.0.0.1:$PORT/$DB_NAME"; }

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) is_up ;;
  url) url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
