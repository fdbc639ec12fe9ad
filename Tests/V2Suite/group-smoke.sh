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
    run_test smoke.parent_inside_a_delegated_service t_parent_inside_a_delegated_service
}

# The no-internal-processes rule: a parent inside the launcher's own cgroup, which other
# processes share (the suite's shell), cannot get controllers. The start is refused before
# anything changes (exit 2, at plan time), naming the cgroup and the way out, and leaves
# nothing behind: no cgroup, no change to launcher.scope.
t_parent_inside_the_launchers_cgroup() {
    local saved=${CONTAINERS_CGROUP_PARENT-}
    export CONTAINERS_CGROUP_PARENT=launcher.scope/containers
    write_init sleeper 'exec sleep 100000'
    write_config inner /sbin/sleeper ph max_physical_memory=32M max_processes=20
    ct start inner
    local rc=$CT_RC err=$CT_ERR
    local left
    left=$(find "$CG/launcher.scope" -mindepth 1 -type d)
    if [ -n "$saved" ]; then export CONTAINERS_CGROUP_PARENT=$saved; else unset CONTAINERS_CGROUP_PARENT; fi
    [ "$rc" = 2 ] || because "start with the parent inside the shared launcher cgroup exited $rc: $err" || return 1
    expect_contains "$err" "inside this process's cgroup /launcher.scope, which other processes share" "the error names the cgroup" || return 1
    expect_contains "$err" "Delegate=yes" "the error says the way out" || return 1
    expect_eq "$left" "" "cgroups left under launcher.scope" || return 1
    expect_eq "$(cat "$CG/launcher.scope/cgroup.subtree_control")" "" "launcher.scope's subtree_control" || return 1
    expect_eq "$(cat "$CG/launcher.scope/cgroup.type")" domain "launcher.scope's cgroup.type" || return 1
    expect_eq "$(cat /proc/self/cgroup)" "0::/launcher.scope" "the suite's shell did not move" || return 1
}

# A systemd service with Delegate=yes: the launcher is the only process of svc.service and the
# containers live in its subtree. The launcher moves itself to svc.service/_launcher before it
# gives controllers to svc.service's children, so the limits are set and enforced there; kill
# finds and removes the container; svc.service itself holds no process.
t_parent_inside_a_delegated_service() {
    local svc=$CG/svc.service
    mkdir -p "$svc"
    write_init sleeper 'exec sleep 100000'
    write_config deleg /sbin/sleeper ph max_physical_memory=32M max_processes=20
    env CONTAINERS_CGROUP_PARENT=svc.service/containers sh -c 'echo $$ > "$1/cgroup.procs"; exec "$2" start deleg' sh "$svc" "$CT" >"$WORK/ct.out" 2>"$WORK/ct.err" </dev/null
    local rc=$? err
    err=$(cat "$WORK/ct.err")
    local cg=$svc/containers/deleg
    local memory pids procs launcher
    memory=$(cat "$cg/memory.max" 2>&1); pids=$(cat "$cg/pids.max" 2>&1)
    procs=$(cat "$svc/cgroup.procs" 2>&1); launcher=$([ -d "$svc/_launcher" ] && echo yes)
    local running
    running=$(cat "$cg/cgroup.procs" 2>/dev/null | wc -l)
    CONTAINERS_CGROUP_PARENT=svc.service/containers ct kill deleg
    local killrc=$CT_RC
    local gone=yes
    [ -d "$cg" ] && gone=no
    rmdir "$svc/containers" "$svc/_launcher" "$svc" 2>/dev/null
    [ "$rc" = 0 ] || because "start in a delegated service exited $rc: $err" || return 1
    expect_eq "$memory" 33554432 "memory.max in the service's subtree" || return 1
    expect_eq "$pids" 20 "pids.max in the service's subtree" || return 1
    expect_eq "$procs" "" "svc.service holds no process (the launcher left it)" || return 1
    expect_eq "$launcher" yes "the launcher's leaf svc.service/_launcher" || return 1
    expect_eq "$running" 1 "init runs in the container's cgroup" || return 1
    expect_eq "$killrc" 0 "kill of the container in the service's subtree" || return 1
    expect_eq "$gone" yes "the container's cgroup is removed" || return 1
}
