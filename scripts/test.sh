#!/usr/bin/env bash
# The whole test suite: installs the independent Modbus tools the interop tests use (mbpoll,
# pymodbus with python3-serial, socat for the serial lines' pseudo-terminal pairs) and the
# headless Chromium the status-page test drives (Debian's chromium + chromium-driver), provisions
# and starts the local TimescaleDB the integration tests need, then runs every test with Maven.
# Then the deployment step: builds the JVM container image and runs it against TimescaleDB
# (scripts/image.sh smoke). Used by the README (docs/testing.md) and by .ci/run. Needs root for
# apt-get/debootstrap/podman on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mbpoll >/dev/null || ! /usr/bin/python3 -c 'import pymodbus' 2>/dev/null \
    || ! command -v socat >/dev/null || ! /usr/bin/python3 -c 'import serial' 2>/dev/null \
    || [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mbpoll python3-pymodbus socat python3-serial chromium chromium-driver >/dev/null
fi
# The deployment checks (K8sManifestsTest): kubectl renders the kustomization (kubectl is part of
# the machine image, with gcloud), node runs the Kubernetes schema validator, whose npm packages
# are pinned by src/test/k8s-schema/package-lock.json and installed once.
command -v node >/dev/null && command -v npm >/dev/null || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}
command -v kubectl >/dev/null || { echo "kubectl is missing (it renders k8s/ in K8sManifestsTest)" >&2; exit 1; }
SCHEMA=src/test/k8s-schema
if [ ! -f $SCHEMA/node_modules/.package-lock.json ] || [ $SCHEMA/package-lock.json -nt $SCHEMA/node_modules/.package-lock.json ]; then
  (cd $SCHEMA && npm ci --no-audit --no-fund --loglevel=error)
fi
scripts/timescaledb.sh start
export ESS_TEST_DATABASE_URL="${ESS_TEST_DATABASE_URL:-$(scripts/timescaledb.sh url)}"
./mvnw -B -ntp verify "$@"
# the JVM image, built here from Debian packages, run against the same TimescaleDB
scripts/image.sh smoke
