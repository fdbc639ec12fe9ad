#!/usr/bin/env bash
# scripts/start-path-order.sh BINARY: regenerates scripts/start-path.order, the link order
# scripts/release.sh hands to the linker (--section-ordering-file): the functions a `start -d`,
# an `exec`, `list`, `check --all`, `plan` and `--help` run, in the order they first run, one
# `.text.SYMBOL` per line, so that they sit together in the executable and a start faults in
# fewer pages of it (docs/performance.md). Run it (as root: the start is the path that matters)
# on a release build after the start path changed much; a stale file costs only layout, never
# correctness (the linker ignores names it does not find).
# The function lists come from valgrind's callgrind (no sampling: every function that ran).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$(realpath "$1")"
[[ "$(id -u)" == 0 ]] || { echo "start-path-order: needs root (it starts a container)" >&2; exit 1; }
for tool in valgrind:valgrind busybox:busybox-static strip:binutils; do
    command -v "${tool%%:*}" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool#*:}"
done
work="$(mktemp -d /tmp/start-path-order.XXXXXX)"
export CONTAINERS_CGROUP_PARENT="mc_order_$$"
cleanup() {
    for dir in /sys/fs/cgroup/*/"$CONTAINERS_CGROUP_PARENT"; do
        [[ -d "$dir" ]] || continue
        find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"/rootfs/{bin,proc,dev,tmp} "$work"/state/{configs,logs,pids}
cp "$(command -v busybox)" "$work/rootfs/bin/busybox"
ln -s busybox "$work/rootfs/bin/true"
for applet in sh sleep; do ln -s busybox "$work/rootfs/bin/$applet"; done
printf '#!/bin/sh\nexec sleep 100000\n' >"$work/rootfs/bin/idle" && chmod +x "$work/rootfs/bin/idle"
printf 'root=%s\ninit=/bin/true\nnamespaces=phi\n' "$work/rootfs" >"$work/state/configs/fg"
printf 'root=%s\ninit=/bin/idle\nnamespaces=phi\n' "$work/rootfs" >"$work/state/configs/bg"
# valgrind reads symbols from the stripped copy (it chokes on this toolchain's debug info).
strip --strip-debug -o "$work/container" "$binary"
profile() {  # profile NAME ARGS...: callgrind output of every process in $work/cg.NAME.PID
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.$1.%p" "$work/container" "${@:2}" >/dev/null 2>&1 || true
}
# Under valgrind the container's child stops at openat2 (valgrind lacks it): the launcher's and
# the child's functions up to there are recorded, which is the part shared with every command.
profile start start -d --path "$work/state" fg
# exec into a running container (started without valgrind). The exec's launcher joins the
# container's mount namespace, so callgrind writes its file there: in the container's /tmp,
# read back through /proc/PID/root of the container's init.
"$binary" start --path "$work/state" bg >/dev/null
valgrind --tool=callgrind --demangle=no --callgrind-out-file="/tmp/mc-order-$$.cg.exec.%p" \
    "$work/container" exec --path "$work/state" bg /bin/true >/dev/null 2>&1 || true
init_root="/proc/$(cat "$work/state/pids/bg")/root"
for file in "$init_root"/tmp/mc-order-$$.cg.exec.*; do [[ -s "$file" ]] && cp "$file" "$work/cg.exec.${file##*.}"; done
rm -f /tmp/mc-order-$$.cg.exec.*  # the empty file valgrind opened on the host before the join
"$binary" kill --path "$work/state" bg >/dev/null
profile list list --path "$work/state"
profile check check --all --no-filesystem --path "$work/state"
profile plan plan --path "$work/state" fg
profile help --help
# First-seen order, start first; only named functions (not addresses of unnamed code).
cat $(ls -tr "$work"/cg.*) | sed -nE "s/^c?fn=\([0-9]+\) ([^0][^ ']*)('[0-9]+)?$/.text.\1/p" | awk '!seen[$0]++' \
    >"$root/scripts/start-path.order"
echo "start-path-order: $(wc -l <"$root/scripts/start-path.order") functions in scripts/start-path.order"
