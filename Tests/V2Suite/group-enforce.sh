# enforce: each limit is enforced by the kernel, not just written.

# An allocation past memory.max (no swap allowed) is OOM-killed inside the container.
t_memory_oom_kill() {
    write_init hog 'v2probe alloc 160; echo "alloc-exit=$?"; exec sleep 100000'
    write_config hog /sbin/hog all max_physical_memory=32M max_memory=32M
    start hog || return 1
    wait_log hog alloc-exit= 60 || return 1
    expect_not_contains "$(log_of hog)" alloc-done "the allocation of 160 MiB under 32 MiB" || return 1
    expect_contains "$(log_of hog)" alloc-exit=137 "the allocator died of SIGKILL (128 + 9)" || return 1
    local kills
    kills=$(sed -n 's/^oom_kill \([0-9]*\)$/\1/p' "$(cgdir hog)/memory.events")
    [ "${kills:-0}" -ge 1 ] || because "memory.events oom_kill is '${kills}': $(cat "$(cgdir hog)/memory.events" | tr '\n' ' ')" || return 1
    expect_eq "$(listed hog | cut -d' ' -f1)" running "init (the shell) survives the OOM kill of its child"
}

# Forks past pids.max fail with EAGAIN; the cgroup never holds more than pids.max tasks.
t_pids_max_enforced() {
    write_init forker 'v2probe forks 50; exec sleep 100000'
    write_config forker /sbin/forker all max_processes=10
    start forker || return 1
    wait_log forker forked= 30 || return 1
    local result forked
    result=$(grep forked= "$CONTAINERS_PATH/logs/forker")
    forked=$(echo "$result" | sed -n 's/^forked=\([0-9]*\) .*/\1/p')
    expect_contains "$result" "errno=EAGAIN" "fork past pids.max" || return 1
    # init (sh) and v2probe count: at most 8 children fit under 10.
    [ "$forked" -le 8 ] && [ "$forked" -ge 1 ] || because "forked $forked children under pids.max=10" || return 1
    [ "$(cgv forker pids.current)" -le 10 ] || because "pids.current $(cgv forker pids.current) > 10" || return 1
    local events
    events=$(sed -n 's/^max \([0-9]*\)$/\1/p' "$(cgdir forker)/pids.events")
    [ "${events:-0}" -ge 1 ] || because "pids.events max is '${events}'"
}

# A direct write of 4 MiB to /dev/ram0 from the container's cgroup, under io_bw_limit=1M,
# takes at least size / limit; the same write from outside it (the control) is much faster.
# blk-throttle dispatches ahead of the exact rate by at most the first bio (64 KiB = 62.5 ms
# here) and its rounding of the elapsed time up to a throttle slice (20 ms on a non-rotational
# queue, 100 ms on a disk): the bound is 4 s − 0.2 s = 3.8 s. Measured 3.927–4.013 s.
t_io_bw_throttled() {
    write_init sleeper 'exec sleep 100000'
    write_config iolim /sbin/sleeper h "io_bw_limit=1:0 1M"
    start iolim || return 1
    local control limited scratch="$CG/v2suite-control-$LAYOUT"
    mkdir -p "$scratch"
    control=$("$PROBE" dwrite /dev/ram0 "$scratch/cgroup.procs" 4096)
    rmdir "$scratch"
    limited=$("$PROBE" dwrite /dev/ram0 "$(cgdir iolim)/cgroup.procs" 4096)
    local seconds=${limited#seconds=} fast=${control#seconds=}
    expect_contains "$limited" seconds= "the direct write in the container's cgroup" || return 1
    expect_contains "$control" seconds= "the control write" || return 1
    awk -v s="$seconds" 'BEGIN { exit !(s >= 3.8) }' \
        || because "4 MiB at 1 MiB/s took ${seconds}s (< 3.8 s; unthrottled: ${fast}s)" || return 1
    awk -v s="$fast" 'BEGIN { exit !(s < 2.0) }' \
        || because "the unthrottled control write took ${fast}s: the measure proves nothing"
    note "io: 4 MiB direct write ${seconds}s under 1 MiB/s, ${fast}s without the limit"
}

group_enforce() {
    run_test enforce.memory_max_oom_kills t_memory_oom_kill
    run_test enforce.pids_max_fork_fails t_pids_max_enforced
    run_test enforce.io_bw_limit_throttles_direct_writes t_io_bw_throttled
}
