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
}
