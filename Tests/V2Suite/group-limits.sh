# limits: every v2 limit file holds the value the config asks for, and the controllers are
# enabled in cgroup.subtree_control from the root down to the container's cgroup.

# runc/crun's cpu.weight from cpu_share (docs/cgroups.md), computed by v2probe in C,
# independently of the runtime's CPUWeight (busybox awk has no math functions).
cpu_weight_formula() { "$PROBE" cpuweight "$1"; }

# One container with every limit, started once for the checks below.
start_limited() {
    write_init sleeper 'exec sleep 100000'
    write_config lim /sbin/sleeper all max_physical_memory=64M max_memory=96M max_processes=25 \
        cpu_share=512 "io_bw_limit=1:0 1M" "iops_limit=1:0 200"
    start lim
}

t_limit_memory_max() { expect_eq "$(cgv lim memory.max)" 67108864 "memory.max (max_physical_memory=64M)"; }
t_limit_swap_max() { expect_eq "$(cgv lim memory.swap.max)" 33554432 "memory.swap.max (96M total − 64M physical)"; }
t_limit_pids_max() { expect_eq "$(cgv lim pids.max)" 25 "pids.max"; }
t_limit_cpu_weight_512() {
    expect_eq "$(cpu_weight_formula 512)" 59 "the formula itself at 512 (docs/cgroups.md's table)" || return 1
    expect_eq "$(cgv lim cpu.weight)" "$(cpu_weight_formula 512)" "cpu.weight for cpu_share=512"
}
t_limit_io_max() {
    expect_eq "$(cgv lim io.max)" "1:0 rbps=1048576 wbps=1048576 riops=200 wiops=200" "io.max on /dev/ram0 (1:0)"
}
t_limit_subtree_control() {
    local dir=$CG path
    path="$(cgroup_parent)/lim"
    # The root and every level of the parent: each enables the four controllers for the next.
    while :; do
        for controller in memory pids cpu io; do
            expect_contains " $(cat "$dir/cgroup.subtree_control") " " $controller " "$dir/cgroup.subtree_control" || return 1
        done
        [ "${path#*/}" = "$path" ] && break
        dir="$dir/${path%%/*}"
        path=${path#*/}
    done
    expect_eq "$dir/$path" "$(cgdir lim)" "walked down to the container's parent" || return 1
    expect_eq "$(cat "$(cgdir lim)/cgroup.controllers")" "cpu io memory pids" "the container's cgroup.controllers"
}
t_limit_init_inside() {
    local pid
    pid=$(listed_pid lim)
    [ -n "$pid" ] || because "list shows no pid for lim: $(listed lim)" || return 1
    expect_eq "$(cat /proc/"$pid"/cgroup)" "0::/$(cgroup_parent)/lim" "init's cgroup seen from the host"
}

# cpu.weight for one more cpu_share value, each in its own container.
t_cpu_weight_for() {
    write_init sleeper 'exec sleep 100000'
    write_config "cpu$1" /sbin/sleeper h "cpu_share=$1"
    start "cpu$1" || return 1
    expect_eq "$(cgv "cpu$1" cpu.weight)" "$(cpu_weight_formula "$1")" "cpu.weight for cpu_share=$1 (formula)" || return 1
    expect_eq "$(cgv "cpu$1" cpu.weight)" "$2" "cpu.weight for cpu_share=$1 (docs/cgroups.md's table)"
}
t_cpu_weight_1024() { t_cpu_weight_for 1024 100; }
t_cpu_weight_2048() { t_cpu_weight_for 2048 174; }
t_cpu_weight_2() { t_cpu_weight_for 2 1; }
t_cpu_weight_262144() { t_cpu_weight_for 262144 10000; }

# max_memory alone: memory.max = max_memory and memory.swap.max = 0 (the documented decision).
t_memory_total_only() {
    write_init sleeper 'exec sleep 100000'
    write_config memonly /sbin/sleeper h max_memory=48M
    start memonly || return 1
    expect_eq "$(cgv memonly memory.max)" 50331648 "memory.max" || return 1
    expect_eq "$(cgv memonly memory.swap.max)" 0 "memory.swap.max"
}

group_limits() {
    TEST="$LAYOUT/limits.start"
    REASON=""
    if start_limited; then
        run_check limits.memory_max t_limit_memory_max
        run_check limits.memory_swap_max t_limit_swap_max
        run_check limits.pids_max t_limit_pids_max
        run_check limits.cpu_weight_512 t_limit_cpu_weight_512
        run_check limits.io_max t_limit_io_max
        run_check limits.subtree_control_along_the_path t_limit_subtree_control
        run_check limits.init_in_the_container_cgroup t_limit_init_inside
    else
        run_check limits.start_with_every_limit false
    fi
    cleanup_containers
    run_test limits.cpu_weight_1024 t_cpu_weight_1024
    run_test limits.cpu_weight_2048 t_cpu_weight_2048
    run_test limits.cpu_weight_2 t_cpu_weight_2
    run_test limits.cpu_weight_262144 t_cpu_weight_262144
    run_test limits.memory_total_only t_memory_total_only
}
