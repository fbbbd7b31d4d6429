#!/usr/bin/env bash
# Provisions and runs a local TimescaleDB (PostgreSQL 17 + timescaledb 2.19) on a loopback port,
# for the test suite, the benchmarks and manual trials. Needs root (apt-get, debootstrap, chroot).
#
#   scripts/timescaledb.sh start    install if missing, start, create role/db; idempotent
#   scripts/timescaledb.sh stop     stop the server
#   scripts/timescaledb.sh status   exit 0 if it accepts connections
#   scripts/timescaledb.sh url      print the reactive URL for quarkus.datasource.reactive.url
#   scripts/timescaledb.sh tls-ca      print the path of the CA certificate that signed the server's
#   scripts/timescaledb.sh tls-url     print the reactive URL of the TLS-only role (sslmode=verify-full)
#   scripts/timescaledb.sh tls-config  print the standard Quarkus keys that reach the TLS-only role
#   scripts/timescaledb.sh tls-client  print the client certificate and key (PEM) of the role
#                                      $ESS_TSDB_CERT_USER, which pg_hba.conf admits by certificate only
#
# `start` also turns TLS on (a self-signed CA and a server certificate for localhost/127.0.0.1,
# made with openssl) and creates the role $ESS_TSDB_TLS_USER, which pg_hba.conf admits over TLS
# only (hostssl ... scram-sha-256, hostnossl ... reject), as managed TimescaleDB and Cloud SQL do.
# The `ess` role is unchanged (admitted with or without TLS). On a running server these changes
# are applied with a reload, never a restart, so connected clients keep their sessions.
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
TLS_USER="${ESS_TSDB_TLS_USER:-ess_tls}"
TLS_PASS="${ESS_TSDB_TLS_PASSWORD:-ess-tls-secret}"
CERT_USER="${ESS_TSDB_CERT_USER:-ess_cert}"
PGDATA_IN_ROOT=/var/lib/ess-tsdb/data
TLS_DIR_IN_ROOT=/var/lib/ess-tsdb/tls
HBA_MARKER="# ess-tls-only (scripts/timescaledb.sh)"
HBA_CERT_MARKER="# ess-cert-only (scripts/timescaledb.sh)"
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
  [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" = 1 ] \
    || psql_admin -c "CREATE ROLE \"$DB_USER\" LOGIN SUPERUSER PASSWORD '$DB_PASS'"
  [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")" = 1 ] \
    || psql_admin -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\""
  tls_setup
  log "ready: $(url)"
  log "TLS-only role: $(tls_url | sed 's#//[^@]*@#//'"$TLS_USER"':***@#')  CA: $(tls_ca)"
}

tls_ca() { echo "$ROOT$TLS_DIR_IN_ROOT/ca.crt"; }

# A CA (kept next to the server's files) and a server certificate it signed, valid for the names
# clients use here, so sslmode=verify-full works with either. Made once; later runs reuse them.
make_certificates() {
  local dir="$ROOT$TLS_DIR_IN_ROOT"
  if [ -f "$dir/server.crt" ] && [ -f "$dir/server.key" ] && [ -f "$dir/ca.crt" ]; then return; fi
  command -v openssl >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }
  log "creating a self-signed CA and a server certificate (localhost, 127.0.0.1) in $dir"
  mkdir -p "$dir"
  ( cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ESS test TimescaleDB CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext -out server.crt 2>/dev/null
    rm -f server.csr server.ext ca.srl
    chmod 600 ca.key server.key; chmod 644 ca.crt server.crt )
  # the server refuses a key that others can read or that it does not own
  in_root "chown postgres:postgres $TLS_DIR_IN_ROOT/server.key $TLS_DIR_IN_ROOT/server.crt"
}

# A client certificate for the certificate-only role (CN = role name), key as PKCS-8 PEM (.key).
make_client_certificate() {
  local dir="$ROOT$TLS_DIR_IN_ROOT"
  if [ -f "$dir/$CERT_USER.crt" ] && [ -f "$dir/$CERT_USER.key" ]; then return; fi
  log "creating a client certificate for role $CERT_USER in $dir"
  ( cd "$dir"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$CERT_USER" -keyout "$CERT_USER.key" -out "$CERT_USER.csr" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' > "$CERT_USER.ext"
    openssl x509 -req -in "$CERT_USER.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile "$CERT_USER.ext" \
      -out "$CERT_USER.crt" 2>/dev/null
    rm -f "$CERT_USER.csr" "$CERT_USER.ext" ca.srl
    chmod 600 "$CERT_USER.key"; chmod 644 "$CERT_USER.crt" )
}

# tls_only_role ROLE ROLE_OPTIONS MARKER AUTH HBA: creates ROLE if missing and, once (MARKER),
# puts pg_hba.conf lines first that refuse it without TLS and admit it over TLS with AUTH; first
# match wins, so they go before the general "host all all" lines, and the file is written in place
# (not moved) so that it keeps its owner. Sets the caller's reload=1 when pg_hba.conf changed
# (called as a plain command, so that set -e still stops on a failing psql).
tls_only_role() {
  local role=$1 options=$2 marker=$3 auth=$4 hba=$5
  [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$role'")" = 1 ] \
    || psql_admin -c "CREATE ROLE \"$role\" $options"
  if grep -qF "$marker" "$hba"; then return 0; fi
  { echo "$marker"
    echo "hostnossl all $role all reject"
    echo "hostssl   all $role 127.0.0.1/32 $auth"
    echo "hostssl   all $role ::1/128 $auth"
    echo
    cat "$hba"; } > "$hba.ess-new"
  cat "$hba.ess-new" > "$hba"; rm -f "$hba.ess-new"
  reload=1
}

# Idempotent: every step checks first. ssl and pg_hba.conf take effect on reload (PostgreSQL >= 10).
tls_setup() {
  make_certificates
  make_client_certificate
  local reload=0 hba="$ROOT$PGDATA_IN_ROOT/pg_hba.conf"
  if [ "$(psql_admin -c 'SHOW ssl')" != on ] || [ "$(psql_admin -c 'SHOW ssl_cert_file')" != "$TLS_DIR_IN_ROOT/server.crt" ]; then
    psql_admin -c "ALTER SYSTEM SET ssl_cert_file = '$TLS_DIR_IN_ROOT/server.crt'"
    psql_admin -c "ALTER SYSTEM SET ssl_key_file = '$TLS_DIR_IN_ROOT/server.key'"
    psql_admin -c "ALTER SYSTEM SET ssl = on"
    reload=1
  fi
  # the CA that client certificates must chain to; clients without one are unaffected
  if [ "$(psql_admin -c 'SHOW ssl_ca_file')" != "$TLS_DIR_IN_ROOT/ca.crt" ]; then
    psql_admin -c "ALTER SYSTEM SET ssl_ca_file = '$TLS_DIR_IN_ROOT/ca.crt'"
    reload=1
  fi
  tls_only_role "$CERT_USER" "LOGIN" "$HBA_CERT_MARKER" cert "$hba"
  tls_only_role "$TLS_USER" "LOGIN CREATEDB PASSWORD '$TLS_PASS'" "$HBA_MARKER" scram-sha-256 "$hba"
  if [ "$reload" = 1 ]; then
    psql_admin -c "SELECT pg_reload_conf()" >/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ "$(psql_admin -c 'SHOW ssl')" = on ] && break; sleep 0.3; done
    [ "$(psql_admin -c 'SHOW ssl')" = on ] || { log "ssl did not turn on after reload; see /tmp/ess-tsdb.log"; exit 1; }
    log "TLS on (reloaded, not restarted)"
  fi
}

tls_client() { echo "$ROOT$TLS_DIR_IN_ROOT/$CERT_USER.crt $ROOT$TLS_DIR_IN_ROOT/$CERT_USER.key"; }

tls_url() { echo "postgresql://$TLS_USER:$TLS_PASS@127.0.0.1:$PORT/$DB_NAME?sslmode=verify-full"; }

tls_config() {
  cat <<CFG
quarkus.datasource.reactive.url=postgresql://127.0.0.1:$PORT/$DB_NAME?sslmode=verify-full
quarkus.datasource.username=$TLS_USER
quarkus.datasource.password=$TLS_PASS
quarkus.datasource.reactive.hostname-verification-algorithm=HTTPS
quarkus.datasource.reactive.trust-certificate-pem=true
quarkus.datasource.reactive.trust-certificate-pem.certs=$(tls_ca)
CFG
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
  tls-ca) tls_ca ;;
  tls-url) tls_url ;;
  tls-config) tls_config ;;
  tls-client) tls_client ;;
  *) echo "usage: $0 start|stop|status|url|tls-ca|tls-url|tls-config|tls-client" >&2; exit 2 ;;
esac
