# hostprog: a host program run in a container (`init=@/hostbin/v2probe`, `start -s` with
# SHELL=@/hostbin/v2probe) cannot be overwritten
# from inside (CVE-2019-5736's class). DEPENDS ON running host programs from a sealed memfd copy
# (issue 8 item 4, another branch): until it lands the test without `u` fails.
#
# v2probe's exe-attack keeps an O_PATH descriptor to /proc/self/exe, execs the container's
# /bin/sh, which then reopens that descriptor for writing (the host program no longer runs, so
# ETXTBSY does not protect it) and writes. The host file's checksum must not change.

HOSTPROG_DEPEND="needs the sealed copy of host programs (sealexec branch)"

# t_host_program_untouched NAMESPACES
t_host_program_untouched() {
    local before after
    cp "$PROBE" /hostbin/v2probe
    before=$(sha256sum /hostbin/v2probe | cut -d' ' -f1)
    write_config attack @/hostbin/v2probe "$1"
    start attack || return 1
    # The attack ran to its end (a host program that did not start proves nothing).
    wait_log attack exe-attack-done || return 1
    after=$(sha256sum /hostbin/v2probe | cut -d' ' -f1)
    cp "$PROBE" /hostbin/v2probe
    [ "$before" = "$after" ] \
        || because "the host program changed (namespaces=$1): $(grep exe-attack: "$CONTAINERS_PATH/logs/attack" | tr '\n' ' ') [$HOSTPROG_DEPEND]" || return 1
    # What the attack saw (a sealed copy refuses the write; `u` alone makes it EACCES).
    note "$TEST: $(grep exe-attack: "$CONTAINERS_PATH/logs/attack" | tr '\n' ' ')"
}
# t_shell_host_program_untouched NAMESPACES: the same attack through `start -s` with
# SHELL=@/hostbin/v2probe (the shell runs on a pseudo-terminal the launcher relays; the session
# lasts until the container is killed).
t_shell_host_program_untouched() {
    local before after session
    cp "$PROBE" /hostbin/v2probe
    before=$(sha256sum /hostbin/v2probe | cut -d' ' -f1)
    write_init sleeper 'exec sleep 100000'
    write_config shell /sbin/sleeper "$1"
    env SHELL=@/hostbin/v2probe "$CT" start -s shell >"$WORK/session.out" 2>&1 </dev/null &
    session=$!
    wait_until 20 grep -q exe-attack-done "$WORK/session.out" \
        || because "the -s session never finished the attack: $(grep -v ': note: ' "$WORK/session.out" | tr '\n' ' ' | cut -c1-300)"
    local ran=$?
    "$CT" kill shell >/dev/null 2>&1
    wait "$session"
    after=$(sha256sum /hostbin/v2probe | cut -d' ' -f1)
    cp "$PROBE" /hostbin/v2probe
    [ "$ran" -eq 0 ] || return 1
    [ "$before" = "$after" ] \
        || because "the host program changed through start -s (namespaces=$1): $(grep exe-attack: "$WORK/session.out" | tr '\n\r' '  ') [$HOSTPROG_DEPEND]" || return 1
    note "$TEST: $(grep exe-attack: "$WORK/session.out" | tr '\n\r' '  ')"
}

t_host_program_without_u() { t_host_program_untouched ph; }
t_shell_host_program_without_u() { t_shell_host_program_untouched ph; }
t_shell_host_program_with_u() { t_shell_host_program_untouched all; }
t_host_program_with_u() { t_host_program_untouched all; }

group_hostprog() {
    note "group hostprog: $HOSTPROG_DEPEND; fails until it lands"
    run_test hostprog.init_at_host_program_without_u t_host_program_without_u
    run_test hostprog.init_at_host_program_with_u t_host_program_with_u
    run_test hostprog.shell_at_host_program_without_u t_shell_host_program_without_u
    run_test hostprog.shell_at_host_program_with_u t_shell_host_program_with_u
}
