#!/usr/bin/env bash
# oresi test bed: a real Docker engine, a local registry on 127.0.0.1:5000 and a tiny base image,
# so engine tests never need Docker Hub. Idempotent: every step first checks whether its part
# already answers and does nothing if so. Used by .ci/run, the GitHub workflow and developers.
#
# Output ends with the line   ORESI_EXAMPLE_IMAGE=127.0.0.1:5000/oresi/busybox:1.36.1
# so callers can do:          eval "$(bash scripts/testbed.sh | grep '^ORESI_EXAMPLE_IMAGE=')"
#
# Tests that need "a newer image under the same tag" build it themselves, e.g.
#   docker build -t 127.0.0.1:5000/oresi/<their-name>:<tag> - <<<'FROM <ORESI_EXAMPLE_IMAGE>
#   LABEL rev=2'  && docker push …   (use their own repository name, never overwrite ours).
#
# Environment knobs (all optional):
#   ORESI_TESTBED_DIR   state dir for logs, registry config and storage (default /tmp/oresi-testbed)
#   ORESI_REGISTRY      registry host:port (default 127.0.0.1:5000; must be loopback so the
#                       engine treats it as insecure-by-default plain HTTP)
set -euo pipefail

STATE_DIR="${ORESI_TESTBED_DIR:-/tmp/oresi-testbed}"
REGISTRY="${ORESI_REGISTRY:-127.0.0.1:5000}"
IMAGE_REPO="oresi/busybox"
# A stable test-bed tag, not a promise about the busybox inside: that is whatever busybox-static
# the distribution ships (recorded in the image label org.oresi.busybox-version).
IMAGE_TAG="1.36.1"
IMAGE="${REGISTRY}/${IMAGE_REPO}:${IMAGE_TAG}"
DOCKER_SOCK="/var/run/docker.sock"
BUSYBOX_BIN="/bin/busybox"

say() { printf '[testbed] %s\n' "$*"; }
die() { printf '[testbed] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$STATE_DIR"

# ---------------------------------------------------------------------------------------------
# 1. Packages. Install only what is missing: on GitHub runners docker comes from docker-ce /
#    containerd.io, and pulling in Debian's docker.io there would conflict with it.
# ---------------------------------------------------------------------------------------------
dockerd_path() { command -v dockerd 2>/dev/null || { [ -x /usr/sbin/dockerd ] && echo /usr/sbin/dockerd; } || true; }

engine_answers() {
  if [ -n "${DOCKER_HOST:-}" ]; then
    docker version >/dev/null 2>&1
  else
    [ "$(curl -s --max-time 3 --unix-socket "$DOCKER_SOCK" http://x/_ping 2>/dev/null || true)" = "OK" ]
  fi
}

missing=()
# dockerd only matters when no engine answers yet; the docker CLI is always needed.
if ! command -v docker >/dev/null 2>&1 || { [ -z "$(dockerd_path)" ] && ! engine_answers; }; then
  missing+=(docker.io)
fi
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)   # every probe below uses curl
# The image has no libc, so only a statically linked busybox will run in it (Debian's and Ubuntu's
# plain `busybox` package is dynamic; busybox-static replaces it).
busybox_static() { [ -x "$BUSYBOX_BIN" ] && ! ldd "$BUSYBOX_BIN" >/dev/null 2>&1; }
busybox_static || missing+=(busybox-static)

if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    say "installing missing packages: ${missing[*]}"
    apt-get update -qq
    # Where docker.io itself is missing, take its recommends (cgroupfs-mount among them) as on the
    # machines this bed was proven on. Where an engine (e.g. docker-ce) is already installed, skip
    # recommends: docker-compose recommends docker.io, which would fight docker-ce.
    apt_flags=(-y -qq)
    [[ " ${missing[*]} " == *" docker.io "* ]] || apt_flags+=(--no-install-recommends)
    DEBIAN_FRONTEND=noninteractive apt-get install "${apt_flags[@]}" "${missing[@]}" </dev/null
    # The package starts its own registry service (htpasswd auth, :5000) on systemd hosts; it
    # would hold our port, so turn it off before step 3 looks at the port.
    if [[ " ${missing[*]} " == *" docker-registry "* ]] && command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now docker-registry >/dev/null 2>&1 || true
    fi
  else
    die "missing ${missing[*]} and no apt-get to install them; install them by hand"
  fi
else
  say "packages present (dockerd/docker, compose, docker-registry, busybox)"
fi

# ---------------------------------------------------------------------------------------------
# 2. Engine.
# ---------------------------------------------------------------------------------------------
if engine_answers; then
  say "engine already answers${DOCKER_HOST:+ at $DOCKER_HOST}"
else
  [ -n "${DOCKER_HOST:-}" ] && die "DOCKER_HOST=$DOCKER_HOST is set but does not answer; unset it to let this script start a local dockerd"
  DOCKERD="$(dockerd_path)"
  [ -n "$DOCKERD" ] || die "no engine answers on $DOCKER_SOCK and dockerd is not installed (apt-get install docker.io)"
  [ "$(id -u)" -eq 0 ] || die "no engine answers on $DOCKER_SOCK; starting dockerd needs root (run: sudo bash $0)"
  log="$STATE_DIR/dockerd.log"
  say "starting $DOCKERD (log: $log)"
  # No iptables and no default bridge: these machines cannot program netfilter, so test
  # containers use network_mode: none or host. setsid+nohup keep it alive after we exit.
  setsid nohup "$DOCKERD" --iptables=false --ip6tables=false --bridge=none \
    >"$log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/dockerd.pid"
  for _ in $(seq 1 60); do
    engine_answers && break
    if ! kill -0 "$(cat "$STATE_DIR/dockerd.pid")" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "dockerd exited during start-up (see the log lines above, full log in $log)"
    fi
    sleep 1
  done
  if ! engine_answers; then
    tail -n 30 "$log" >&2 || true
    die "dockerd did not answer on $DOCKER_SOCK within 60 s (full log in $log)"
  fi
  say "engine up (pid $(cat "$STATE_DIR/dockerd.pid"))"
fi
say "engine: $(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo '?')"

# ---------------------------------------------------------------------------------------------
# 3. Registry.
# ---------------------------------------------------------------------------------------------
registry_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://${REGISTRY}/v2/" 2>/dev/null || true; }

status="$(registry_status)"
# Debian/Ubuntu's docker-registry package starts a service with htpasswd auth on :5000, possibly
# still starting right after the install (then it does not answer yet, and ours would lose the
# port race). Stop it whenever no open registry answers.
if [ "$status" != "200" ] && command -v systemctl >/dev/null 2>&1 \
  && systemctl is-active --quiet docker-registry 2>/dev/null; then
  say "stopping the distribution's docker-registry service (it requires auth; HTTP ${status:-none})"
  systemctl stop docker-registry
  sleep 1
  status="$(registry_status)"
fi
if [ "$status" != "200" ] && [ "$status" != "000" ] && [ -n "$status" ]; then
  die "something on ${REGISTRY} answers /v2/ with HTTP $status, not an open registry; free the port"
fi

if [ "$status" = "200" ]; then
  say "registry already answers at http://${REGISTRY}/v2/"
else
  command -v docker-registry >/dev/null 2>&1 || die "docker-registry is not installed (apt-get install docker-registry)"
  reg_dir="$STATE_DIR/registry"
  mkdir -p "$reg_dir/storage"
  cat >"$reg_dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $reg_dir/storage
  delete:
    enabled: true
http:
  addr: ${REGISTRY}
EOF
  log="$STATE_DIR/registry.log"
  say "starting docker-registry on ${REGISTRY} (storage: $reg_dir/storage, log: $log)"
  setsid nohup docker-registry serve "$reg_dir/config.yml" >"$log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/registry.pid"
  for _ in $(seq 1 30); do
    [ "$(registry_status)" = "200" ] && break
    if ! kill -0 "$(cat "$STATE_DIR/registry.pid")" 2>/dev/null; then
      tail -n 20 "$log" >&2 || true
      die "docker-registry exited during start-up (full log in $log)"
    fi
    sleep 1
  done
  [ "$(registry_status)" = "200" ] || { tail -n 20 "$log" >&2 || true; die "registry did not answer within 30 s"; }
  say "registry up (pid $(cat "$STATE_DIR/registry.pid"))"
fi

# ---------------------------------------------------------------------------------------------
# 4. Base image, made from busybox-static with `docker import` (no Docker Hub needed).
# ---------------------------------------------------------------------------------------------
image_in_registry() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -I \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://${REGISTRY}/v2/${IMAGE_REPO}/manifests/${IMAGE_TAG}" 2>/dev/null || true)"
  [ "$code" = "200" ]
}

if image_in_registry; then
  say "image ${IMAGE} already in the registry"
else
  busybox_static || die "$BUSYBOX_BIN is missing or dynamically linked (apt-get install busybox-static)"
  bb_version="$("$BUSYBOX_BIN" 2>&1 | head -n 1 | sed -n 's/^BusyBox v\([^ ]*\).*/\1/p')"
  root="$(mktemp -d "$STATE_DIR/rootfs.XXXXXX")"
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var" "$root/dev" "$root/proc" "$root/sys"
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX_BIN" "$root/bin/busybox"
  # Equivalent of `busybox --install -s` inside the image: one symlink per applet.
  for applet in $("$BUSYBOX_BIN" --list); do
    [ "$applet" = "busybox" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  say "building ${IMAGE} from $BUSYBOX_BIN (busybox ${bb_version:-unknown}, $(ls "$root/bin" | wc -l) entries)"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . \
    | docker import \
        --change 'ENV PATH=/bin' \
        --change 'CMD ["sh"]' \
        --change "LABEL org.oresi.testbed=1 org.oresi.busybox-version=${bb_version:-unknown}" \
        - "$IMAGE" >/dev/null
  docker push "$IMAGE" >/dev/null
  image_in_registry || die "pushed ${IMAGE} but the registry does not list its manifest"
  say "pushed ${IMAGE}"
fi
# Keep a local copy too, so compose never has to pull during a test.
if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  docker pull -q "$IMAGE" >/dev/null && say "pulled ${IMAGE} into the engine"
fi

# ---------------------------------------------------------------------------------------------
# 5. Compose CLIs (oresi supports both dialects; tests use whichever exists).
# ---------------------------------------------------------------------------------------------
v2="$(docker compose version --short 2>/dev/null || true)"
v1="$(docker-compose version --short 2>/dev/null || true)"
say "compose v2 (docker compose): ${v2:-absent}"
say "compose v1 (docker-compose): ${v1:-absent}"
[ -n "$v2$v1" ] || die "neither 'docker compose' nor 'docker-compose' works"

say "ready"
echo "ORESI_EXAMPLE_IMAGE=${IMAGE}"
