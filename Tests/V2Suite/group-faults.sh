# faults: the launcher killed (CONTAINERS_FAULT_AFTER_STEP) or stopped
# (CONTAINERS_STOP_AFTER_STEP) after a step (Sources/ContainerRuntime/StepHooks.swift) leaves
# nothing that blocks the next start, on cgroup v2, as Tests/IntegrationTests/FaultTests.swift
# checks on v1.

# The plan's actions, one per line, in step order (line N = step N).
plan_actions() {
    "$CT" plan "$1" --format json | sed -n 's/^ *"action": "\([A-Za-z]*\)",*$/\1/p'
}

fault_config() {
    write_init sleeper 'exec sleep 100000'
    write_config crash /sbin/sleeper all max_processes=30
}

# t_fault_after ACTION: kill the launcher right after the last step doing ACTION.
t_fault_after() {
    fault_config
    local actions step fork_init pid
    actions=$(plan_actions crash)
    step=$(echo "$actions" | grep -nx "$1" | tail -n 1 | cut -d: -f1)
    fork_init=$(echo "$actions" | grep -nx forkInit | head -n 1 | cut -d: -f1)
    [ -n "$step" ] && [ -n "$fork_init" ] || because "the plan has no $1 or no forkInit: $(echo $actions)" || return 1

    ct_env "CONTAINERS_FAULT_AFTER_STEP=$step" -- start crash
    expect_rc 137 "the launcher SIGKILLed itself after step $step ($1)" || return 1
    if [ "$step" -lt "$fork_init" ]; then
        # The child dies with the launcher (PDEATHSIG), a moment after it.
        wait_until 5 sh -c "[ -z \"\$(find $CG/$(cgroup_parent) -name cgroup.procs -exec cat {} +)\" ]" \
            || because "the child outlived the launcher: $(processes_under_parent | tr '\n' ' ')" || return 1
    fi
    ct start crash
    if [ "$step" -lt "$fork_init" ]; then
        expect_rc 0 "nothing of the start killed after step $step ($1) blocks the next" || return 1
    elif [ "$CT_RC" -ne 0 ]; then
        # init was forked and goes on alone: the next start is refused as running, kill stops it.
        expect_rc 1 "the next start after step $step ($1)" || return 1
        expect_contains "$CT_ERR" "is running" "the refusal" || return 1
        ct kill crash
        expect_rc 0 "kill stops what the killed start left" || return 1
        ct start crash
        expect_rc 0 "start after the kill" || return 1
    fi
    wait_until 10 sh -c "[ -n \"\$($CT list --format json | grep -o '\"name\":\"crash\",\"running\":true,\"pid\":[0-9]')\" ]" \
        || because "list never showed the new start's init: $(listed crash)" || return 1
    pid=$(listed_pid crash)
    expect_eq "$(processes_under_parent)" "$pid" "one instance, nothing left of the killed start" || return 1
    expect_eq "$(cgv crash pids.max)" 30 "pids.max of the new start" || return 1
    ct kill crash
    expect_rc 0 "kill" || return 1
    expect_gone "$(cgdir crash)" "the cgroup after kill" || return 1
    [ -z "$(ls -A "$CONTAINERS_PATH/pids" | grep '\.tmp$')" ] || because "a temporary pid file is left: $(ls -A "$CONTAINERS_PATH/pids")"
}

# A start stopped (SIGSTOP) right after it created the container's still empty cgroup: a second
# start is refused (the lock), list neither reports it running nor removes its fresh cgroup, and
# the first start completes after SIGCONT.
t_start_stopped_half_way() {
    fault_config
    local actions step first state
    actions=$(plan_actions crash)
    step=$(echo "$actions" | grep -nx createCgroup | tail -n 1 | cut -d: -f1)
    env "CONTAINERS_STOP_AFTER_STEP=$step" "$CT" start crash >"$WORK/first.out" 2>&1 </dev/null &
    first=$!
    wait_until 20 sh -c "grep -q '^State:.*T' /proc/$first/status" || because "the first start never stopped" || { kill -9 "$first"; return 1; }
    ct start crash
    expect_rc 1 "a second start while the first holds the lock" || { kill -9 "$first"; return 1; }
    expect_contains "$CT_ERR" "being started" "the refusal" || { kill -9 "$first"; return 1; }
    expect_eq "$(listed crash)" stopped "list during the stopped start" || { kill -9 "$first"; return 1; }
    [ -d "$(cgdir crash)" ] || because "list removed the cgroup of the start in progress" || { kill -9 "$first"; return 1; }
    kill -CONT "$first"
    wait "$first"
    state=$?
    [ "$state" -eq 0 ] || because "the resumed start exited $state: $(cat "$WORK/first.out")" || return 1
    expect_eq "$(listed crash | cut -d' ' -f1)" running "after the resumed start" || return 1
    ct kill crash
    expect_rc 0 "kill"
}

group_faults() {
    for action in lock ensureNotRunning createCgroup writeCgroup forkChild attachChild unshare \
        writeIDMap forkInit pivotRoot exec writePidFile; do
        eval "t_fault_after_$action() { t_fault_after $action; }"
        run_test "faults.launcher_killed_after_$action" "t_fault_after_$action"
    done
    run_test faults.second_start_while_one_is_stopped_half_way t_start_stopped_half_way
}
