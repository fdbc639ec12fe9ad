#!/usr/bin/env bash
# bench/lib/many.sh BINARY WORK: run by bench/lib/start.sh, inside its mount namespace.
#   start-all of 50 containers, against 50 × one detached start of the same config and against
#   50 `crun run` one by one (a shell loop), measured side by side in $ROUNDS rounds;
#   exec of /bin/true into a running container against `crun exec` and `nsenter` into the same
#   namespaces, when the binary has an `exec` command (else results/exec.txt says so).
# Writes WORK/results/many-*.json, exec-*.json, exec.txt; expects what start.sh expects.
set -euo pipefail
binary="$1" work="$2"
results="$work/results"
count=50
one="$work/state-one" all="$work/state-all"
mkdir -p "$one"/{configs,logs,pids} "$all"/{configs,logs,pids}
config="$(printf 'root=%s\ninit=/bin/true\nnamespaces=phi\n' "$work/rootfs")"
printf '%s\n' "$config" >"$one/configs/one"
for ((i = 1; i <= count; i++)); do printf '%s\n' "$config" >"$all/configs/c$(printf %02d "$i")"; done
# crun one by one: the same bundle, a fresh id each run (crun deletes it when /bin/true exits).
cat >"$work/crun-loop.sh" <<SH
#!/bin/sh
i=0
while [ \$i -lt $count ]; do i=\$((i + 1)); crun run -b $work/bundle mc-bench-crun-all-\$i >/dev/null || exit 1; done
SH
chmod +x "$work/crun-loop.sh"
# A detached start returns once init has been exec'd; /bin/true may still be exiting (reaped
# by pid 1) when the next run starts, which would then be refused as "running". Before each
# run, wait (untimed, at most 5 s) until the containers' cgroups hold no process.
cat >"$work/wait-stopped.sh" <<SH
#!/bin/sh
i=0
while cat /sys/fs/cgroup/*/$CONTAINERS_CGROUP_PARENT/\$1/cgroup.procs /sys/fs/cgroup/$CONTAINERS_CGROUP_PARENT/\$1/cgroup.procs 2>/dev/null | grep -q .; do
    i=\$((i + 1)); [ \$i -gt 500 ] && exit 1; sleep 0.01
done
SH
chmod +x "$work/wait-stopped.sh"
for ((round = 1; round <= ROUNDS; round++)); do  # rounds: see bench/lib/start.sh
    hyperfine -N --warmup 1 --runs 5 --style none --export-json "$results/many-$round.json" \
        --prepare "$work/wait-stopped.sh one" -n "container start (one)" "$binary start --path $one one" \
        --prepare "$work/wait-stopped.sh c*" -n "container start-all ($count)" "$binary start-all --path $all" \
        --prepare true -n "crun run × $count" "$work/crun-loop.sh" >/dev/null
done
{
    printf '%s\t%s\n' "container start (one)" "$binary start --path $one one"
    printf '%s\t%s\n' "container start-all ($count)" "$binary start-all --path $all"
    printf '%s\t%s\n' "crun run × $count" "for i in 1..$count: crun run -b $work/bundle ID-i"
} >>"$results/commands.tsv"
# Per-container work repeated by start-all: syscalls of start-all over 50 against one start.
strace -f -c -o "$results/strace-start-all.txt" "$binary" start-all --path "$all" >/dev/null 2>&1 || true
strace -f -c -o "$results/strace-start-one.txt" "$binary" start --path "$one" one >/dev/null 2>&1 || true

# exec: into a running container (init = the static sleeper) and a crun container of the same
# root running the same sleeper.
if ! "$binary" --help | grep -q '^  exec '; then  # (`container exec --help` is the root's help when there is no exec)
    echo "not measured: no exec command" >"$results/exec.txt"
    exit 0
fi
state="$work/state"
"$binary" start --path "$state" bg
pid="$(cat "$state/pids/bg")"
cp "$work/sleeper" "$work/rootfs/sleeper"
mkdir -p "$work/bundle-bg"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
spec = json.load(open(f"{work}/bundle/config.json"))
spec["process"]["args"] = ["/sleeper"]
spec["linux"]["cgroupsPath"] = spec["linux"]["cgroupsPath"] + "-bg"
json.dump(spec, open(f"{work}/bundle-bg/config.json", "w"), indent=1)
PY
crun run -d -b "$work/bundle-bg" "mc-bench-crun-bg-$$"
trap 'crun delete -f "mc-bench-crun-bg-$$" >/dev/null 2>&1 || true' EXIT
commands=(
    -n "container exec" "$binary exec --path $state bg /bin/true"
    -n "crun exec" "crun exec mc-bench-crun-bg-$$ /bin/true"
    -n "nsenter" "nsenter -t $pid -p -u -i -m /bin/true"
)
for ((round = 1; round <= ROUNDS; round++)); do
    hyperfine -N --warmup 3 --runs 15 --style none --export-json "$results/exec-$round.json" "${commands[@]}" >/dev/null
done
for ((i = 0; i < ${#commands[@]}; i += 3)); do
    printf '%s\t%s\n' "${commands[i + 1]}" "${commands[i + 2]}"
done >>"$results/commands.tsv"
echo "measured" >"$results/exec.txt"
"$binary" kill --path "$state" bg >/dev/null
