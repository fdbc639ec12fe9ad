#!/usr/bin/env bash
# bench/run.sh [SCRATCH]: the "Fast and small" figures, measured side by side on this machine,
# written as a Markdown table to docs/performance.md (bench/lib/report.py).
#   1. foreground start of /bin/true vs crun run, bwrap, runc (if installed), unshare+chroot
#   2. exec of /bin/true into a running container vs crun exec and nsenter (when `exec` exists)
#   3. start-all of 50 containers vs 50 × one start and vs 50 crun runs one by one
#   4. what a detached container costs once started (no process of ours left); the launcher's
#      peak RSS (VmHWM at exit) vs crun's; syscalls per start (strace -c -f)
#   5. check --all --no-filesystem over 1,000 and 10,000 configs vs cat, two mixes; list over
#      1,000 configured containers
# Needs root. BINARY=path skips the release build; ROUNDS × RUNS hyperfine runs per start command
# (default 6 × 15), ROUNDS rounds of each check comparison.
# Everything it creates (temp dir, cgroups under a unique parent, mounts, containers) is removed
# on exit, also when it fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${1:-.build}"
runs="${RUNS:-15}"
export ROUNDS="${ROUNDS:-6}"
cd "$root"
[[ "$(id -u)" == 0 ]] || { echo "bench/run.sh: needs root (namespaces, cgroups)" >&2; exit 1; }

need=()
for tool in hyperfine:hyperfine crun:crun busybox:busybox-static bwrap:bubblewrap strace:strace gcc:gcc; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if ((${#need[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
command -v runc >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq runc >/dev/null 2>&1 || true

if [[ -z "${BINARY:-}" ]]; then
    scripts/release.sh "$scratch" >&2
fi
binary="$(realpath "${BINARY:-$scratch/release/container}")"

# The floor program (bench/floor): the same toolchain, link mode and ArgumentParser checkout.
parser="$(ls -d "$scratch/checkouts/swift-argument-parser" .build*/checkouts/swift-argument-parser 2>/dev/null | head -1)"
floor_dir="$root/${scratch%/}-floor"
mkdir -p "$floor_dir/pkg/Sources/floor"
cp bench/floor/main.swift "$floor_dir/pkg/Sources/floor/main.swift"
sed "s|@ARGUMENT_PARSER@|$(realpath "$parser")|" bench/floor/Package.swift.in >"$floor_dir/pkg/Package.swift"
if file -L "$binary" | grep -q "statically linked"; then link=(-Xswiftc -static-executable); else link=(--static-swift-stdlib); fi
(cd "$floor_dir/pkg" && swift build -c release --scratch-path "$floor_dir/build" "${link[@]}" >"$floor_dir/build.log" 2>&1) \
    || { echo "bench/run.sh: the floor program did not build, see $floor_dir/build.log" >&2; exit 1; }
export FLOOR_BINARY="$floor_dir/build/release/floor"

work="$(mktemp -d /tmp/mc-bench.XXXXXX)"
export CONTAINERS_CGROUP_PARENT="mc_bench_$$"
cleanup() {
    # Kill whatever is left in our cgroups, then remove them deepest first; then the temp dir.
    local dir
    for dir in /sys/fs/cgroup/*/"$CONTAINERS_CGROUP_PARENT"; do
        [[ -d "$dir" ]] || continue
        find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
        # crun also creates its cgroup path under controller directories that are not mounted
        # (e.g. a plain /sys/fs/cgroup/net_cls on the tmpfs) and writes files there.
        if [[ -d "$dir" && "$(stat -f -c %T "$dir")" == tmpfs ]]; then rm -rf "$dir"; fi
    done
    rm -rf "$work"
}
trap cleanup EXIT

# A busybox root, an OCI bundle of the same root, /bin/true as init, namespaces p h i (+ mount).
mkdir -p "$work"/rootfs/{bin,sbin,proc,dev,tmp,etc,sys,root} "$work"/state/{configs,logs,pids}
cp "$(command -v busybox)" "$work/rootfs/bin/busybox"
for applet in sh true sleep; do ln -s busybox "$work/rootfs/bin/$applet"; done
printf 'root=%s\ninit=/bin/true\nnamespaces=phi\n' "$work/rootfs" >"$work/state/configs/fg"
printf 'root=%s\ninit=@%s\nnamespaces=phi\n' "$work/rootfs" "$work/sleeper" >"$work/state/configs/bg"
gcc -O2 -static -o "$work/sleeper" -x c - <<'C'
#include <unistd.h>
int main(void) { for (;;) pause(); }
C
gcc -O2 -o "$work/peakrss" bench/tools/peakrss.c
# crun's bundle is the same config exported by our OCI back end (docs/oci.md): the same root,
# namespaces, mounts (proc, /dev with its nodes, devpts, /dev/shm, mqueue, /tmp, /sys read-only),
# masked and read-only paths, capabilities, no_new_privs and device rules, so both do the same
# work. Only the cgroup differs: its own path, so a crun run and a start never share one.
"$binary" export --path "$work/state" fg "$work/bundle" >/dev/null 2>"$work/export.log" \
    || { cat "$work/export.log" >&2; exit 1; }
python3 - "$work" "$CONTAINERS_CGROUP_PARENT" <<'PY'
import json, sys
work, parent = sys.argv[1], sys.argv[2]
path = f"{work}/bundle/config.json"
spec = json.load(open(path))
spec["linux"]["cgroupsPath"] = f"/{parent}/oci"
json.dump(spec, open(path, "w"), indent=1)
PY

echo "bench: start figures ($ROUNDS rounds of $runs runs each)" >&2
unshare -m --propagation private bench/lib/start.sh "$binary" "$work" "$runs"

echo "bench: check and list" >&2
bench/lib/check.sh "$binary" "$work"

python3 bench/lib/report.py "$work" "$binary" >docs/performance.md.new
mv docs/performance.md.new docs/performance.md
echo "bench: wrote docs/performance.md" >&2
