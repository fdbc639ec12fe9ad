# lifecycle: start, a second start refused, list, kill (cgroup.kill, populated 0, rmdir), a
# double-forked daemon, start-all with a broken config, a stale pid file, user namespaces.

# Nothing of NAME is left: no cgroup directory, no pid file, list says stopped, no process
# under the parent (the caller killed every other container first).
expect_nothing_left() {
    expect_gone "$(cgdir "$1")" "the cgroup of $1 after kill" || return 1
    expect_gone "$CONTAINERS_PATH/pids/$1" "the pid file of $1 after kill" || return 1
    expect_eq "$(listed "$1")" stopped "list after kill" || return 1
    expect_eq "$(processes_under_parent)" "" "processes under $(cgroup_parent) after kill" || return 1
    expect_contains "$(cat "$CG/$(cgroup_parent)/cgroup.events")" "populated 0" "the parent's cgroup.events after kill"
}

t_start_list_kill() {
    write_init sleeper 'exec sleep 100000'
    write_config web /sbin/sleeper all max_processes=20
    start web || return 1
    local pid
    pid=$(listed_pid web)
    [ -n "$pid" ] || because "list --format json after start: $(listed web)" || return 1
    expect_eq "$(procs_of web)" "$pid" "cgroup.procs holds init alone" || return 1
    expect_eq "$(cat /proc/"$pid"/comm)" sleep "init's program" || return 1
    expect_contains "$(cat "$(cgdir web)/cgroup.events")" "populated 1" "cgroup.events while running" || return 1
    ct list
    expect_rc 0 "list" || return 1
    expect_contains "$CT_OUT" web "the text list names the container" || return 1
    ct list -r --format json
    expect_contains "$CT_OUT" "\"name\":\"web\",\"running\":true,\"pid\":$pid" "list -r --format json" || return 1

    ct start web
    expect_rc 1 "a second start of a running container" || return 1
    expect_contains "$CT_ERR" "is running" "the refusal says why" || return 1
    expect_eq "$(listed_pid web)" "$pid" "the running instance is untouched" || return 1

    ct kill web
    expect_rc 0 "kill" || return 1
    expect_dead "$pid" "init after kill" || return 1
    expect_nothing_left web || return 1
    ct kill web
    expect_rc 1 "kill of a stopped container"
}

# Without a pid namespace a double-forked daemon is reparented out of init's tree (to the VM's
# pid 1); the cgroup still holds it, and kill (cgroup.kill) gets it too.
t_kill_double_forked_daemon() {
    write_init forker '(setsid sleep 200000 &); exec sleep 100000'
    write_config daemon /sbin/forker h
    start daemon || return 1
    wait_until 10 sh -c "[ \$(wc -l <$(cgdir daemon)/cgroup.procs) -eq 2 ]" \
        || because "the daemon never appeared in cgroup.procs: $(procs_of daemon | tr '\n' ' ')" || return 1
    local init daemon
    init=$(listed_pid daemon)
    daemon=$(procs_of daemon | grep -vx "$init")
    [ -n "$init" ] && [ -n "$daemon" ] || because "init '$init', daemon '$daemon'" || return 1
    local parent
    parent=$(awk '{ print $4 }' /proc/"$daemon"/stat)
    [ "$parent" != "$init" ] || because "the daemon $daemon is still init's child" || return 1
    ct kill daemon
    expect_rc 0 "kill" || return 1
    expect_contains "$CT_OUT" "2 processes" "kill counted init and the daemon" || return 1
    expect_dead "$daemon" "the double-forked daemon" || return 1
    expect_dead "$init" "init" || return 1
    expect_nothing_left daemon
}

t_start_all_with_a_broken_config() {
    write_init sleeper 'exec sleep 100000'
    write_config good1 /sbin/sleeper ph max_processes=10
    write_config good2 /sbin/sleeper ph max_physical_memory=32M
    write_config broken /sbin/sleeper xyz
    ct start-all
    [ "$CT_RC" -ne 0 ] || because "start-all with a broken config exited 0" || return 1
    expect_contains "$CT_OUT$CT_ERR" broken "start-all reports the broken config" || return 1
    expect_eq "$(listed good1 | cut -d' ' -f1)" running "good1" || return 1
    expect_eq "$(listed good2 | cut -d' ' -f1)" running "good2" || return 1
    expect_eq "$(listed broken)" stopped "broken" || return 1
    expect_gone "$(cgdir broken)" "a cgroup for the broken config" || return 1
    expect_eq "$(cgv good1 pids.max)" 10 "good1's pids.max" || return 1
    expect_eq "$(cgv good2 memory.max)" 33554432 "good2's memory.max" || return 1
    ct kill good1 && ct kill good2
    expect_rc 0 "kill good2" || return 1
    expect_nothing_left good1 && expect_nothing_left good2
}

# A pid file naming an unrelated process (the container stopped, the pid reused): list says
# stopped, kill leaves the process alone, start works.
t_stale_pid_file() {
    sleep 100000 &
    local unrelated=$!
    write_init sleeper 'exec sleep 100000'
    write_config stale /sbin/sleeper ph
    echo "$unrelated" >"$CONTAINERS_PATH/pids/stale"
    expect_eq "$(listed stale)" stopped "list with a stale pid file" || { kill "$unrelated"; return 1; }
    ct kill stale
    expect_rc 1 "kill of a container that is not running" || { kill "$unrelated"; return 1; }
    expect_alive "$unrelated" "the unrelated process after kill" || return 1
    start stale || { kill "$unrelated"; return 1; }
    local pid
    pid=$(listed_pid stale)
    [ -n "$pid" ] && [ "$pid" != "$unrelated" ] || because "list shows pid '$pid' (unrelated $unrelated)" || { kill "$unrelated"; return 1; }
    ct kill stale
    expect_rc 0 "kill" || { kill "$unrelated"; return 1; }
    expect_alive "$unrelated" "the unrelated process after the container's kill" || return 1
    kill "$unrelated"
    wait "$unrelated" 2>/dev/null
    expect_nothing_left stale
}

# `u`: the id maps the plan writes, seen from inside and from the host.
t_user_namespace_id_maps() {
    write_init idmap 'echo "uid_map: $(cat /proc/self/uid_map)"; echo "gid_map: $(cat /proc/self/gid_map)"; echo "id: $(id -u):$(id -g)"; exec sleep 100000'
    write_config users /sbin/idmap all id_map_start=200000
    start users || return 1
    wait_log users "id: " || return 1
    local log pid
    log=$(log_of users | tr -s ' \t' ' ')
    expect_contains "$log" "uid_map: 0 200000 65536" "uid_map inside" || return 1
    expect_contains "$log" "gid_map: 0 200000 65536" "gid_map inside" || return 1
    expect_contains "$log" "id: 0:0" "root inside" || return 1
    pid=$(listed_pid users)
    expect_eq "$(awk '/^Uid:/ { print $2 }' /proc/"$pid"/status)" 200000 "init's uid seen from the host" || return 1
    expect_eq "$(awk '/^Gid:/ { print $2 }' /proc/"$pid"/status)" 200000 "init's gid seen from the host" || return 1
    [ "$(readlink /proc/"$pid"/ns/user)" != "$(readlink /proc/self/ns/user)" ] \
        || because "init shares the host's user namespace" || return 1
    ct kill users
    expect_rc 0 "kill" || return 1
    expect_nothing_left users
}

group_lifecycle() {
    run_test lifecycle.start_refuse_list_kill t_start_list_kill
    run_test lifecycle.kill_double_forked_daemon_without_p t_kill_double_forked_daemon
    run_test lifecycle.start_all_with_a_broken_config t_start_all_with_a_broken_config
    run_test lifecycle.stale_pid_file t_stale_pid_file
    run_test lifecycle.user_namespace_id_maps t_user_namespace_id_maps
}
