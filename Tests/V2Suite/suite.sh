#!/bin/sh
# The cgroup v2 suite: runs as the v2 VM's launcher (scripts/v2vm/run.sh boots it), against the
# static `container`, from the leaf cgroup /launcher.scope, with the containers' cgroups under
# the default parent (layout "leaf") and under a nested CONTAINERS_CGROUP_PARENT=a/b ("nested").
# Prints one `PASS NAME` / `FAIL NAME: REASON` line per test and a final count.
#
# V2_TESTS (space or comma separated group names) runs a subset; default: every group.
# Groups: smoke limits enforce lifecycle faults devices hostprog.
# devices and hostprog test defences other branches bring (the eBPF device filter, the sealed
# copy of host programs): they fail until those land.
suite=$(dirname "$0")
. "$suite/lib.sh"
for group in "$suite"/group-*.sh; do . "$group"; done

selected=" $(echo "${V2_TESTS:-all}" | tr ',' ' ') "
wants() { case "$selected" in *" all "* | *" $1 "*) return 0 ;; esac; return 1; }

setup_host
for layout in leaf nested; do
    use_layout "$layout"
    wants smoke && group_smoke
    wants limits && group_limits
    wants enforce && group_enforce
    wants lifecycle && group_lifecycle
done
use_layout nested
wants faults && group_faults
wants devices && group_devices
wants hostprog && group_hostprog
echo "v2-guest: $PASSED passed, $FAILED failed"
