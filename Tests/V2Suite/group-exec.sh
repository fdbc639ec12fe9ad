# exec and stop on a cgroup-v2-only kernel: the exec plan's enterCgroup puts `container exec`
# (and so the command it forks) in the container's cgroup before it joins anything; stop's
# signal, grace time and cgroup.kill.

t_exec_joins_the_v2_cgroup() {
    write_init sleeper 'exec sleep 100000'
    write_config joined /sbin/sleeper all
    start joined || return 1
    local pid
    pid=$(listed_pid joined)
    [ -n "$pid" ] || because "no init pid: $(listed joined)" || return 1
    ct plan joined --exec true
    expect_contains "$CT_OUT" "enter $(cgdir joined) (the launcher's pid to cgroup.procs, before any namespace" "the v2 exec plan enters the cgroup first" || return 1
    ct exec joined -- sh -c 'cat /proc/self/cgroup; echo ---; cat /proc/1/cgroup; readlink /proc/self/ns/pid'
    expect_rc 0 "exec" || return 1
    local mine theirs
    mine=$(printf '%s\n' "$CT_OUT" | sed -n '1p')
    theirs=$(printf '%s\n' "$CT_OUT" | sed -n '3p')
    expect_eq "$mine" "$theirs" "the exec'd process's cgroup is init's" || return 1
    expect_eq "$(printf '%s\n' "$CT_OUT" | sed -n '4p')" "$(readlink /proc/"$pid"/ns/pid)" "init's pid namespace" || return 1
    ct exec joined -- sh -c 'exit 3'
    expect_rc 3 "exec's status is CMD's" || return 1
    ct exec joined no-such-command
    expect_rc 127 "not found inside" || return 1
    ct stop joined --time 1
    expect_rc 0 "stop of an init that ignores SIGTERM" || return 1
    expect_contains "$CT_OUT" "killed after 1 s" "stop killed it after the grace time" || return 1
    expect_gone "$(cgdir joined)" "the cgroup after stop" || return 1
    ct exec joined true
    expect_rc 1 "exec into a stopped container"
}

t_stop_with_the_signal() {
    write_init polite "trap 'exit 0' TERM
while :; do sleep 100000 & wait \$!; done"
    write_config polite /sbin/polite ph
    start polite || return 1
    ct stop polite --time 20
    expect_rc 0 "stop" || return 1
    expect_contains "$CT_OUT" "exited on signal 15" "init exited on SIGTERM" || return 1
    expect_gone "$(cgdir polite)" "the cgroup after stop"
}

group_exec() {
    run_test exec.joins_the_v2_cgroup_and_stop_kills t_exec_joins_the_v2_cgroup
    run_test exec.stop_with_the_signal t_stop_with_the_signal
}
