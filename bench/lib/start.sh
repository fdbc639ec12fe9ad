#!/usr/bin/env bash
# bench/lib/start.sh BINARY WORK RUNS: the start, start-all and exec figures, run by bench/run.sh inside
# `unshare -m --propagation private` with an empty tmpfs over /sys/fs/cgroup/unified (crun 1.8
# refuses the hybrid v1+v2 layout; every tool measured runs under the same mounts). Writes
# WORK/results/*.json and *.txt for bench/lib/report.py. Expects WORK/rootfs, WORK/bundle,
# WORK/state (made by bench/run.sh) and $CONTAINERS_CGROUP_PARENT set to a unique name.
set -euo pipefail
binary="$1" work="$2" runs="$3"  # runs per round; $ROUNDS rounds
results="$work/results"
mkdir -p "$results"
mount -t tmpfs bench-empty /sys/fs/cgroup/unified
root="$work/rootfs"
state="$work/state"

# 1. Foreground start of /bin/true, side by side (hyperfine -N: no shell in between).
commands=(
    -n "container start -d" "$binary start -d --path $state fg"
    -n "crun run" "crun run -b $work/bundle mc-bench-crun-$$"
    -n "unshare+chroot (floor)" "unshare --pid --fork --uts --ipc --mount chroot $root /bin/true"
    -n "argument-parser floor" "$FLOOR_BINARY start -d --path $state fg"
)
if command -v bwrap >/dev/null; then
    commands+=(-n "bwrap" "bwrap --unshare-pid --unshare-uts --unshare-ipc --bind $root / --proc /proc --dev /dev --tmpfs /tmp /bin/true")
fi
if command -v runc >/dev/null && runc run -b "$work/bundle" "mc-bench-runc-probe-$$" >/dev/null 2>&1; then
    commands+=(-n "runc run" "runc run -b $work/bundle mc-bench-runc-$$")
fi
# hyperfine runs all runs of one command before the next: on a shared machine the load drifts
# between commands. Several short rounds, each measuring every command, give one ratio per
# round; the report takes the median of those ratios (and of the pooled times).
for ((round = 1; round <= ROUNDS; round++)); do
    hyperfine -N --warmup 3 --runs "$runs" --style none --export-json "$results/start-$round.json" \
        "${commands[@]}" >/dev/null
done
for ((i = 0; i < ${#commands[@]}; i += 3)); do  # the exact command of each row, for the report
    printf '%s\t%s\n' "${commands[i + 1]}" "${commands[i + 2]}"
done >>"$results/commands.tsv"

# 2. A detached start leaves no process of ours: init (a long sleep) must be re-parented.
"$binary" start --path "$state" bg
pid="$(cat "$state/pids/bg")"
ppid="$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")"
{
    echo "init_pid=$pid"
    echo "init_ppid=$ppid"
    echo "init_parent_comm=$(cat "/proc/$ppid/comm")"
    # Our binary by its exact path (other engineers may be running their own `container`).
    echo "launcher_processes_left=$(pgrep -c -f "^$binary( |\$)" || true)"
    echo "init_rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
} >"$results/detached.txt"
"$binary" kill --path "$state" bg >/dev/null

# 3. Peak RSS (VmHWM at exit) of the launcher, 7 runs each, and syscalls per start.
peak() {  # peak LABEL COMMAND...: one line per run in results/peak-LABEL.txt
    local label="$1"; shift
    for _ in 1 2 3 4 5 6 7; do
        "$work/peakrss" "$@" 2>&1 >/dev/null | grep '^vmhwm_kib='
    done >"$results/peak-$label.txt"
}
peak container "$binary" start -d --path "$state" fg
peak crun crun run -b "$work/bundle" "mc-bench-crun-$$"
peak unshare unshare --pid --fork --uts --ipc --mount chroot "$root" /bin/true
peak floor "$FLOOR_BINARY" start -d --path "$state" fg
if command -v bwrap >/dev/null; then
    peak bwrap bwrap --unshare-pid --unshare-uts --unshare-ipc --bind "$root" / --proc /proc --dev /dev --tmpfs /tmp /bin/true
fi
syscalls() {  # syscalls LABEL COMMAND...: total syscalls of the whole process tree
    strace -f -c -o "$results/strace-$1.txt" "${@:2}" >/dev/null 2>&1 || true
}
syscalls container "$binary" start -d --path "$state" fg
syscalls crun crun run -b "$work/bundle" "mc-bench-crun-$$"

# 4. start-all of 50 containers and exec (bench/lib/many.sh), in the same mount namespace.
"$(dirname "$0")/many.sh" "$binary" "$work"
