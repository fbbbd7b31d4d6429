#!/usr/bin/env bash
# The whole test suite: installs the independent Modbus tools the interop tests use and the
# headless Chromium the status-page test drives (Debian's chromium + chromium-driver), provisions
# and starts the local TimescaleDB the integration tests need, then runs every test with Maven.
# Used by the README and by .ci/run. Needs root for apt-get/debootstrap on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mbpoll >/dev/null || ! /usr/bin/python3 -c 'import pymodbus' 2>/dev/null \
    || [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mbpoll python3-pymodbus chromium chromium-driver >/dev/null
fi
scripts/timescaledb.sh start
export ESS_TEST_DATABASE_URL="${ESS_TEST_DATABASE_URL:-$(scripts/timescaledb.sh url)}"
./mvnw -B -ntp verify "$@"
