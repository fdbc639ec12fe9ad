#!/usr/bin/env bash
# scripts/demo-runtime.sh [CONTAINER_BINARY]: start a real container and look at it (root only).
#
# Builds (unless a binary is given), makes a busybox root file system in a temporary state
# directory, then: check, plan, start, list, what init sees inside (hostname, pid, limits),
# kill, list again. Everything it made (containers, cgroups under a unique parent, files) is
# removed on exit, also on failure or Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ $(id -u) -ne 0 ]]; then
    echo "demo-runtime.sh starts real containers: run it as root (sudo $0)" >&2
    exit 1
fi
if [[ $# -ge 1 ]]; then
    container="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
    (cd "$root" && swift build --product container)
    container="$root/.build/debug/container"
fi
busybox="$(command -v busybox || echo /bin/busybox)"
[[ -x $busybox ]] || { echo "busybox is missing: apt-get install busybox-static" >&2; exit 1; }

state="$(mktemp -d /tmp/container-runtime-demo.XXXXXX)"
chmod 0755 "$state"   # a user-namespaced init runs as an unprivileged host uid
export CONTAINERS_CGROUP_PARENT="demo-$$-$RANDOM"
export CONTAINERS_PATH="$state"

cleanup() {
    "$container" kill demo >/dev/null 2>&1 || true
    # Whatever is left under the demo's cgroup parent (a failed start), in every hierarchy.
    for hierarchy in /sys/fs/cgroup/*/; do
        dir="$hierarchy$CONTAINERS_CGROUP_PARENT"
        [[ -d $dir ]] || continue
        find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
    rm -rf --one-file-system "$state"
}
trap cleanup EXIT

run() {
    if [[ -t 1 && -z "${NO_COLOR+x}" ]]; then printf '\n\033[1m$ %s\033[0m\n' "$*"; else printf '\n$ %s\n' "$*"; fi
    "$@"
}

# The root file system: static busybox, one symlink per applet, an init that reports what it
# sees and then sleeps.
rootfs="$state/rootfs"
mkdir -p "$state"/{configs,logs,pids} "$rootfs"/{bin,sbin,proc,dev,tmp,sys,etc}
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$busybox" --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$rootfs/bin/$applet"
done
cat >"$rootfs/sbin/demo-init" <<'INIT'
#!/bin/sh
echo "inside: hostname=$(hostname) pid=$$ uid=$(id -u) uptime=$(cut -d' ' -f1 /proc/uptime)s"
echo "inside: my cgroups (the cgroup namespace makes each one /): $(tr '\n' ' ' </proc/self/cgroup)"
exec sleep 100000
INIT
chmod 0755 "$rootfs/sbin/demo-init"
cat >"$state/configs/demo" <<CONF
root=$rootfs
init=/sbin/demo-init
namespaces=all
max_physical_memory=64M
max_memory=128M
max_processes=100
cpu_share=512
CONF

run "$container" check demo
run "$container" plan demo
run "$container" start demo
run "$container" list
run "$container" list --format json
pid="$("$container" list --format json | sed -n 's/.*"name":"demo","running":true,"pid":\([0-9]*\).*/\1/p')"
echo
echo "init's host pid: ${pid:-unknown}"
# init writes its report to the log right after it starts: wait for it (bounded).
for _ in $(seq 50); do grep -q "inside: my cgroups" "$state/logs/demo" 2>/dev/null && break; sleep 0.1; done
run cat "$state/logs/demo"
if [[ -n $pid ]]; then
    echo
    echo "from the host: namespaces of init vs. ours"
    for ns in user pid uts ipc time; do
        printf '  %-5s host %-22s container %s\n' "$ns" "$(readlink /proc/self/ns/$ns)" "$(readlink /proc/$pid/ns/$ns)"
    done
    echo "from the host: the container's limits"
    for file in memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes pids/pids.max cpu/cpu.shares; do
        controller="${file%%/*}"
        path="/sys/fs/cgroup/$controller/$CONTAINERS_CGROUP_PARENT/demo/${file#*/}"
        [[ -r $path ]] && printf '  %-38s %s\n' "${file#*/}" "$(cat "$path")"
    done
fi
run "$container" kill demo
run "$container" list
