#!/bin/sh
# The cgroup v2 suite: runs as the v2 VM's launcher (scripts/v2vm/run.sh boots it), against the
# static `container`, from the leaf cgroup /launcher.scope (as under a systemd service), with the
# containers' cgroups under the default parent (layout "leaf", /minimal_containers) and under a
# nested CONTAINERS_CGROUP_PARENT=a/b (layout "nested"). Prints one `PASS NAME (TIME)` or
# `FAIL NAME: REASON` line per test and a final count.
#
# V2_TESTS (space or comma separated group names) runs a subset; default: every group.
# Groups: smoke limits enforce lifecycle faults devices hostprog exec shells. limits, enforce and
# lifecycle run in both layouts; faults and exec in "leaf", devices, hostprog and shells in "nested". The two layouts run
# at the same time (own state directory, rootfs and cgroup parent each; the VM has two CPUs).
# devices and hostprog test defences other branches bring (the eBPF device filter, the sealed
# copy of host programs): they fail until those land.
suite=$(dirname "$0")
. "$suite/lib.sh"
for group in "$suite"/group-*.sh; do . "$group"; done

selected=" $(echo "${V2_TESTS:-all}" | tr ',' ' ') "
wants() { case "$selected" in *" all "* | *" $1 "*) return 0 ;; esac; return 1; }

# runner LAYOUT GROUP...: the groups, in order, in their own directory.
runner() {
    local layout=$1 group
    shift
    setup_runner "/tmp/v2-$layout"
    use_layout "$layout"
    for group in "$@"; do
        if wants "$group"; then "group_$group"; fi
    done
}

setup_host
setup_runner /tmp/v2-smoke
use_layout leaf
wants smoke && group_smoke
runner leaf limits enforce lifecycle faults exec 2>&1 | tee /tmp/v2-leaf.out &
runner nested limits enforce lifecycle devices hostprog shells 2>&1 | tee /tmp/v2-nested.out &
wait
PASSED=$((PASSED + $(cat /tmp/v2-leaf.out /tmp/v2-nested.out | grep -c '^PASS ')))
FAILED=$((FAILED + $(cat /tmp/v2-leaf.out /tmp/v2-nested.out | grep -c '^FAIL ')))
echo "v2-guest: $PASSED passed, $FAILED failed"
