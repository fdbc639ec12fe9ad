#!/usr/bin/env bash
# scripts/demo.sh CONTAINER_BINARY: a tour of `container` in a throw-away state directory.
# Sections append: each one is a function called at the bottom (the runtime demo adds its own).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
container="$(cd "$(dirname "${1:-$root/.build/debug/container}")" && pwd)/$(basename "${1:-container}")"
state="$(mktemp -d /tmp/container-demo.XXXXXX)"
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/configs" "$state/logs" "$state/pids"

# A tiny root file system: busybox as init and shell.
rootfs="$state/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/sbin" "$rootfs/proc" "$rootfs/dev" "$rootfs/tmp"
busybox="$(command -v busybox || echo /bin/busybox)"
cp "$busybox" "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/sh"
ln -s ../bin/busybox "$rootfs/sbin/init"

run() {
    if [[ -t 1 && -z "${NO_COLOR+x}" ]]; then printf '\n\033[1m$ %s\033[0m\n' "$*"; else printf '\n$ %s\n' "$*"; fi
    "$@"
    printf '(exit status %d)\n' "$?"
}

demo_check() {
    cat >"$state/configs/web" <<CONF
# a valid KEY=VALUE config
root=$rootfs
init=/bin/sh
namespaces=uphti
max_physical_memory=64M
max_memory=128M
CONF
    cat >"$state/configs/api.yaml" <<CONF
# the YAML form of a valid config
root: $rootfs
init: /bin/sh
namespaces: [user, pid, uts, ipc]
memory: { physical: 64M, total: 128M }
CONF
    cp "$root/Fixtures/render/cli/broken.conf" "$state/configs/broken"
    cp "$root/Fixtures/render/cli/broken.yaml" "$state/configs/broken-yaml.yaml"

    echo "== container check: valid configs, with the filesystem checks"
    run "$container" check --path "$state" web api
    echo "== container check: broken configs (every problem, with its location)"
    run "$container" check --path "$state" broken broken-yaml
    for format in json sarif github; do
        echo "== container check --format $format"
        run "$container" check --path "$state" --format "$format" --no-filesystem broken
    done
    echo "== container check --all --strict"
    run "$container" check --path "$state" --all --strict --no-filesystem
    echo "== a usage error and a name that is refused before any file is touched"
    run "$container" check --path "$state" --all web
    run "$container" check --path "$state" ../../etc/passwd-name
    run "$container" check --path "$state" ..
}

demo_check
# Further sections (plan, start, list, kill) are appended here as functions and called below.
