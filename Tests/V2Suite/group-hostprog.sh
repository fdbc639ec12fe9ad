# hostprog: a host program run in a container (`init=@/hostbin/v2probe`) cannot be overwritten
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
    wait_log attack exe-attack-done || return 1
    after=$(sha256sum /hostbin/v2probe | cut -d' ' -f1)
    cp "$PROBE" /hostbin/v2probe
    [ "$before" = "$after" ] \
        || because "the host program changed (namespaces=$1): $(grep exe-attack: "$CONTAINERS_PATH/logs/attack" | tr '\n' ' ') [$HOSTPROG_DEPEND]" || return 1
    expect_contains "$(log_of attack)" "reopen refused" "the reopen for writing (namespaces=$1)"
}
t_host_program_without_u() { t_host_program_untouched ph; }
t_host_program_with_u() { t_host_program_untouched all; }

group_hostprog() {
    note "group hostprog: $HOSTPROG_DEPEND; fails until it lands"
    run_test hostprog.init_at_host_program_without_u t_host_program_without_u
    run_test hostprog.init_at_host_program_with_u t_host_program_with_u
}
