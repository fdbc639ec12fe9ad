# smoke: the VM is what the suite needs (cgroup v2 only, the launcher in a leaf cgroup).

t_cgroup_v2_only() {
    local types
    types=$(awk '$3 ~ /^cgroup/ { print $3 }' /proc/mounts | sort -u | tr '\n' ' ')
    expect_eq "$types" "cgroup2 " "cgroup file systems mounted" || return 1
    expect_contains "$(cat /proc/cmdline)" "cgroup_no_v1=all" "kernel command line" || return 1
    local controllers
    controllers=$(cat $CG/cgroup.controllers)
    for c in memory pids cpu io; do expect_contains "$controllers" "$c" "root cgroup.controllers" || return 1; done
}

t_launcher_in_leaf() {
    expect_eq "$(cat /proc/self/cgroup)" "0::/launcher.scope" "the launcher's cgroup" || return 1
    expect_eq "$(cat $CG/launcher.scope/cgroup.subtree_control)" "" "launcher.scope is a leaf" || return 1
}

group_smoke() {
    run_test smoke.cgroup_v2_only t_cgroup_v2_only
    run_test smoke.launcher_in_leaf_cgroup t_launcher_in_leaf
    run_test smoke.parent_inside_the_launchers_cgroup_refused t_parent_inside_the_launchers_cgroup
}

# The no-internal-processes rule: a parent inside the launcher's own (populated) cgroup cannot
# enable controllers for its children. The start must fail naming the step, the file and EBUSY,
# and leave nothing behind (containers belong in a subtree without processes: docs/cgroups.md).
t_parent_inside_the_launchers_cgroup() {
    local saved=${CONTAINERS_CGROUP_PARENT-}
    export CONTAINERS_CGROUP_PARENT=launcher.scope/containers
    write_init sleeper 'exec sleep 100000'
    # memory is a domain controller: a populated cgroup cannot enable it for its children.
    # (pids and cpu are threaded controllers: enabling them would turn launcher.scope into a
    # threaded domain and its new children into "domain invalid" cgroups, EOPNOTSUPP one level
    # down, and leave launcher.scope changed; the suite's launcher cgroup must stay as it is.)
    write_config inner /sbin/sleeper ph max_physical_memory=32M
    ct start inner
    local rc=$CT_RC err=$CT_ERR
    local left
    left=$(find "$CG/launcher.scope" -mindepth 1 -type d)
    if [ -n "$saved" ]; then export CONTAINERS_CGROUP_PARENT=$saved; else unset CONTAINERS_CGROUP_PARENT; fi
    [ "$rc" = 1 ] || because "start with the parent inside the launcher's cgroup exited $rc: $err" || return 1
    expect_contains "$err" "launcher.scope/cgroup.subtree_control" "the error names the file" || return 1
    expect_contains "$err" "EBUSY" "the error names errno" || return 1
    expect_eq "$left" "" "cgroups left under launcher.scope" || return 1
    expect_eq "$(cat "$CG/launcher.scope/cgroup.subtree_control")" "" "launcher.scope's subtree_control" || return 1
    expect_eq "$(cat "$CG/launcher.scope/cgroup.type")" domain "launcher.scope's cgroup.type" || return 1
    local pid
    for pid in $(cat "$CG/launcher.scope/cgroup.procs"); do
        [ "$(cat /proc/"$pid"/comm 2>/dev/null)" != sleep ] || because "a container process ($pid) runs in launcher.scope" || return 1
    done
}
