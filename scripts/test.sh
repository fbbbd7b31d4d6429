#!/usr/bin/env bash
# The whole test suite: provisions/starts the local TimescaleDB the integration tests need,
# then runs every test with Maven. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/timescaledb.sh start
export ESS_TEST_DATABASE_URL="${ESS_TEST_DATABASE_URL:-$(scripts/timescaledb.sh url)}"
./mvnw -B -ntp verify "$@"
