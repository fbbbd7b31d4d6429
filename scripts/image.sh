#!/usr/bin/env bash
# Container images of the gateway, built and run on this machine with Debian's podman.
#
#   scripts/image.sh base     base image from Debian packages: debootstrap a minimal Debian 13 root
#                             with Debian's headless JRE (JRE_PACKAGE), `podman import` it as
#                             $BASE_TAG (skipped when that image exists; REBUILD_BASE=1 forces it)
#   scripts/image.sh build    base + ./mvnw package (when the jar is missing) + podman build of
#                             src/main/docker/Dockerfile.jvm with BASE_IMAGE=$BASE_TAG -> $IMAGE
#   scripts/image.sh smoke    build + scripts/image-smoke.sh (runs the image against TimescaleDB)
#   scripts/image.sh size     prints the image sizes
#
# Why this way: no container registry is reachable here, so the Dockerfile's default public base
# (UBI OpenJDK) cannot be pulled; the base comes from Debian packages instead and is passed as the
# BASE_IMAGE build argument. This machine also needs (measured, see docs/deployment.md,
# "Container images"): `default_ulimits = []` in containers.conf (rlimits cannot be raised here), runc
# instead of crun (crun refuses the hybrid cgroup layout), builds with --isolation chroot, and
# containers on the host network. Needs root. Installs podman, runc and debootstrap when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

JRE_PACKAGE="${JRE_PACKAGE:-openjdk-25-jre-headless}"
JRE_VERSION="${JRE_PACKAGE//[!0-9]/}"
BASE_TAG="${BASE_TAG:-localhost/ess-jre-base:$JRE_VERSION}"
IMAGE="${IMAGE:-localhost/ess-gateway:jvm}"
SUITE="${SUITE:-trixie}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
WORK="${IMAGE_WORK:-/var/tmp/ess-image}"

log() { echo "[image $(date -u +%H:%M:%S)] $*" >&2; }

setup_podman() {
  if ! command -v podman >/dev/null || ! [ -x /usr/sbin/runc ] || ! command -v debootstrap >/dev/null; then
    log "installing podman, runc, debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >/dev/null
  fi
  # this machine cannot raise rlimits: podman's default ulimits make every container fail to start
  if ! grep -qs '^default_ulimits *= *\[\]' /etc/containers/containers.conf; then
    mkdir -p /etc/containers
    if grep -qs '^\[containers\]' /etc/containers/containers.conf; then
      sed -i '/^\[containers\]/a default_ulimits = []' /etc/containers/containers.conf
    else
      printf '[containers]\ndefault_ulimits = []\n' >>/etc/containers/containers.conf
    fi
  fi
}
podman_() { podman --runtime /usr/sbin/runc "$@"; }

build_base() {
  setup_podman
  if [ "${REBUILD_BASE:-0}" != 1 ] && podman_ image exists "$BASE_TAG"; then
    log "base $BASE_TAG exists"
    return
  fi
  local root="$WORK/base-$JRE_VERSION"
  rm -rf "$root"
  mkdir -p "$WORK"
  log "debootstrap $SUITE (minbase) into $root"
  debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  log "installing $JRE_PACKAGE"
  # the JRE's post-install script runs java, which needs /proc
  mount -t proc proc "$root/proc"
  trap 'umount "'"$root"'/proc" 2>/dev/null || true' EXIT
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends $JRE_PACKAGE >/dev/null" </dev/null
  umount "$root/proc"
  trap - EXIT
  # the runtime user of the Quarkus/UBI images: uid 185, group root (OpenShift-style arbitrary uids work too)
  chroot "$root" useradd --uid 185 --gid 0 --home-dir /home/default --create-home --shell /usr/sbin/nologin default
  # what a runtime image does not need: package lists and caches, docs, man pages, locales
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/usr/share/locale/* "$root"/var/cache/debconf/*-old "$root"/var/log/*.log
  log "podman import -> $BASE_TAG"
  tar -C "$root" --numeric-owner -c . | podman_ import \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-'"$JRE_VERSION"'-openjdk-amd64' \
    --change 'ENV LANG=C.UTF-8' - "$BASE_TAG" >/dev/null
  rm -rf "$root"
}

build_image() {
  build_base
  if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    log "packaging the application"
    ./mvnw -B -ntp -q package -DskipTests
  fi
  log "podman build $IMAGE (BASE_IMAGE=$BASE_TAG)"
  podman_ build --isolation chroot --network host -f src/main/docker/Dockerfile.jvm \
    --build-arg BASE_IMAGE="$BASE_TAG" -t "$IMAGE" . >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; exit 1; }
  sizes
}

sizes() {
  podman_ image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "ess-(jre-base|gateway)" >&2 || true
}

case "${1:-build}" in
  base) build_base ;;
  build) build_image ;;
  smoke) build_image; IMAGE="$IMAGE" scripts/image-smoke.sh ;;
  size) sizes ;;
  *) echo "usage: scripts/image.sh base|build|smoke|size" >&2; exit 2 ;;
esac
