# shells: what issue 10 changes where cgroup v2 differs: list's usage columns from memory.current,
# memory.peak and pids.current; /sys read-only with the cgroup2 hierarchy below it; the pipe
# mode of -s (no pty) with the eBPF device filter in force; /dev/mqueue with `i`.

# The number after "KEY": in a one-line JSON text.
json_number() { echo "$1" | sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p"; }

t_list_usage_from_the_v2_files() {
    write_init usage 'sleep 100000 & sleep 100000 & wait'
    write_config usage /sbin/usage ph max_physical_memory=64M max_processes=50
    start usage || return 1
    wait_until 10 sh -c "[ \"\$(cat $(cgdir usage)/pids.current)\" = 3 ]" \
        || because "pids.current never reached 3: $(cgv usage pids.current)" || return 1
    local before after row current peak tasks
    before=$(cgv usage memory.current)
    # One line per container (the row holds a nested "memory" object).
    row=$("$CT" list --format json | sed 's/{"name"/\n{"name"/g' | grep '"name":"usage"')
    after=$(cgv usage memory.current)
    tasks=$(json_number "$row" tasks)
    current=$(json_number "$row" current)
    peak=$(json_number "$row" peak)
    expect_eq "$tasks" 3 "tasks = pids.current" || return 1
    [ -n "$current" ] && [ "$current" -ge $((before < after ? before - 1048576 : after - 1048576)) ] \
        && [ "$current" -le $((before > after ? before + 1048576 : after + 1048576)) ] \
        || because "memory.current: list $current, the file $before…$after" || return 1
    [ -n "$peak" ] && [ "$peak" -ge "$current" ] && [ "$peak" -le $(($(cgv usage memory.peak) + 1048576)) ] \
        || because "memory.peak: list $peak, the file $(cgv usage memory.peak)" || return 1
    [ -n "$(json_number "$row" uptimeSeconds)" ] || because "no uptimeSeconds in $row" || return 1
    ct kill usage
    expect_rc 0 "kill"
}

t_sys_read_only_with_cgroup2_below() {
    write_init sysro 'mkdir /sys/fs/cgroup/ro-probe 2>&1; echo > /sys/kernel/uevent_helper 2>&1; echo FW=$(ls -A /sys/firmware | wc -l); grep -c "^mqueue /dev/mqueue" /proc/mounts; echo probe-done'
    write_config sysro /sbin/sysro phi
    start sysro || return 1
    wait_log sysro probe-done || return 1
    local log
    log=$(log_of sysro)
    expect_contains "$log" "Read-only file system" "writes to /sys fail with EROFS" || return 1
    expect_gone "$CG/ro-probe" "a cgroup made through the container's /sys" || return 1
    expect_contains "$log" "FW=0" "/sys/firmware is masked" || return 1
    expect_contains "$log" "$(printf '1\nprobe-done')" "/dev/mqueue with i"
}

t_pipe_mode_is_byte_for_byte() {
    write_config piped /bin/sh h
    local out
    out=$(printf 'hostname\n' | SHELL=/bin/sh "$CT" start -s piped | od -An -c | tr -s ' ')
    expect_eq "$out" " p i p e d \n" "start -s with piped input prints exactly the hostname"
}

group_shells() {
    run_test shells.list_usage_from_the_v2_files t_list_usage_from_the_v2_files
    run_test shells.sys_read_only_with_cgroup2_below t_sys_read_only_with_cgroup2_below
    run_test shells.pipe_mode_is_byte_for_byte t_pipe_mode_is_byte_for_byte
}
