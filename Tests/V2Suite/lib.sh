# Helpers of the cgroup v2 suite (sourced by suite.sh; busybox sh inside the v2 VM).
#
# A test is a shell function that returns 0 when every assertion held; an assertion that does
# not hold sets $REASON and returns 1, so `assertion || return 1` stops the test at its first
# failure. run_test prints `PASS NAME (Ts)` or `FAIL NAME: REASON` and cleans up after it.

CT=/v2/bin/container
PROBE=/v2/bin/v2probe
CG=/sys/fs/cgroup
# Each runner (suite.sh runs two at once) has its own directory: state, rootfs, scratch files.
WORK=/tmp/v2
export CONTAINERS_PATH=$WORK/state
ROOTFS=$WORK/rootfs
PASSED=0
FAILED=0
LAYOUT=none

note() { echo "# $*"; }

uptime_s() { cut -d' ' -f1 /proc/uptime; }
seconds_since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }'; }

# run_test NAME FUNCTION: one test; every container it left is killed and its files removed.
run_test() {
    run_check "$@"
    cleanup_containers
}

# run_check NAME FUNCTION: one test on what an earlier step set up (nothing cleaned after it).
# A REASON already set (by the shared setup) is kept and fails the check.
run_check() {
    TEST="$LAYOUT/$1"
    local started
    started=$(uptime_s)
    if "$2"; then
        echo "PASS $TEST ($(seconds_since "$started")s)"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL $TEST: ${REASON:-the test returned non-zero without a reason}"
        FAILED=$((FAILED + 1))
    fi
    REASON=""
}

# --- assertions ---------------------------------------------------------------------------
because() { REASON="$*"; return 1; }
expect_eq() { [ "$1" = "$2" ] || because "$3: expected '$2', got '$1'"; }
expect_contains() {
    case "$1" in *"$2"*) return 0 ;; esac
    because "$3: '$2' not in '$(echo "$1" | tr '\n' ' ' | cut -c1-300)'"
}
expect_not_contains() {
    case "$1" in *"$2"*) because "$3: '$2' found in '$(echo "$1" | tr '\n' ' ' | cut -c1-300)'"; return 1 ;; esac
    return 0
}
# expect_rc STATUS WHAT: the last `ct` exited with STATUS.
expect_rc() {
    # The plan's notes (every v2 start has one) are left out of the reason.
    [ "$CT_RC" = "$1" ] || because "$2: exit status $CT_RC, expected $1 (stdout: $(echo "$CT_OUT" | tr '\n' ' ' | cut -c1-200); stderr: $(echo "$CT_ERR" | grep -v ': note: ' | tr '\n' ' ' | cut -c1-400))"
}
expect_gone() { [ ! -e "$1" ] || because "$2: $1 still exists"; }
expect_alive() { kill -0 "$1" 2>/dev/null || because "$2: pid $1 is gone"; }
expect_dead() {
    wait_until 5 pid_dead "$1" || because "$2: pid $1 still runs ($(cat /proc/"$1"/comm 2>/dev/null))"
}
pid_dead() { [ ! -d /proc/"$1" ] || grep -q '^State:.*Z' /proc/"$1"/status 2>/dev/null; }

# wait_until SECONDS COMMAND...: polls COMMAND (every 20 ms) until it succeeds or the deadline.
wait_until() {
    local deadline
    deadline=$(awk -v now="$(uptime_s)" -v s="$1" 'BEGIN { print now + s }')
    shift
    while :; do
        "$@" && return 0
        awk -v now="$(uptime_s)" -v d="$deadline" 'BEGIN { exit !(now >= d) }' && return 1
        sleep 0.02
    done
}

# --- the container binary -----------------------------------------------------------------
# ct ARGS...: runs `container ARGS`; sets CT_RC, CT_OUT, CT_ERR. `ct_env VAR=VALUE... -- ARGS`
# adds environment variables for that run only.
ct() { ct_env -- "$@"; }
ct_env() {
    local assignments=""
    while [ "$1" != "--" ]; do assignments="$assignments $1"; shift; done
    shift
    # shellcheck disable=SC2086
    env $assignments "$CT" "$@" >"$WORK/ct.out" 2>"$WORK/ct.err" </dev/null
    CT_RC=$?
    CT_OUT=$(cat "$WORK/ct.out")
    CT_ERR=$(cat "$WORK/ct.err")
}

# write_config NAME INIT NAMESPACES [LINE...]: configs/NAME, root the suite's rootfs.
write_config() {
    local name=$1 init=$2 namespaces=$3
    shift 3
    {
        echo "root=$ROOTFS"
        echo "init=$init"
        echo "namespaces=$namespaces"
        for line in "$@"; do echo "$line"; done
        case "$namespaces" in *u* | all) [ -z "${IDMAP_LINE-}" ] || echo "$IDMAP_LINE" ;; esac
    } >"$CONTAINERS_PATH/configs/$name"
}
# write_init NAME BODY: an executable /sbin/NAME inside the rootfs running BODY (sh).
write_init() {
    printf '#!/bin/sh\n%s\n' "$2" >"$ROOTFS/sbin/$1"
    chmod 0755 "$ROOTFS/sbin/$1"
}
# start NAME: `container start NAME`, which must succeed.
start() { ct start "$1"; expect_rc 0 "start $1"; }

cgroup_parent() { echo "${CONTAINERS_CGROUP_PARENT:-minimal_containers}"; }
cgdir() { echo "$CG/$(cgroup_parent)/$1"; }
cgv() { cat "$(cgdir "$1")/$2" 2>&1; }
log_of() { cat "$CONTAINERS_PATH/logs/$1" 2>/dev/null; }
log_has() { grep -q "$2" "$CONTAINERS_PATH/logs/$1" 2>/dev/null; }
wait_log() { wait_until "${3:-20}" log_has "$1" "$2" || because "the log of $1 never said '$2': $(log_of "$1" | tail -n 5 | tr '\n' ' ')"; }
# listed NAME: "running PID" / "running -" / "stopped" from `list --format json`.
listed() {
    "$CT" list --format json 2>/dev/null | tr '{' '\n' | grep "\"name\":\"$1\"" \
        | sed -n 's/.*"running":\(true\|false\),"pid":\([0-9]*\|null\).*/\1 \2/p' \
        | sed 's/^true null$/running -/; s/^true /running /; s/^false .*/stopped/'
}
listed_pid() { listed "$1" | sed -n 's/^running \([0-9][0-9]*\)$/\1/p'; }
procs_of() { cat "$(cgdir "$1")/cgroup.procs" 2>/dev/null; }
# Every process in the cgroup subtree under the suite's parent.
processes_under_parent() {
    find "$CG/$(cgroup_parent)" -name cgroup.procs -exec cat {} + 2>/dev/null
}

# Kills every container of the state directory, removes the state's files and any cgroup
# left under the parent (reporting what it had to clean: a leak is a bug).
cleanup_containers() {
    local name left
    for name in $("$CT" list -r --format json 2>/dev/null | tr '{' '\n' | sed -n 's/^"name":"\([^"]*\)".*/\1/p'); do
        "$CT" kill "$name" >/dev/null 2>&1
    done
    left=$(processes_under_parent)
    if [ -n "$left" ]; then
        note "cleanup after $TEST: processes left under $(cgroup_parent): $(echo $left)"
        for dir in $(find "$CG/$(cgroup_parent)" -mindepth 1 -maxdepth 1 -type d); do echo 1 >"$dir/cgroup.kill"; done
        wait_until 5 sh -c "[ -z \"\$(find $CG/$(cgroup_parent) -name cgroup.procs -exec cat {} +)\" ]"
    fi
    find "$CG/$(cgroup_parent)" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null
    rm -rf "$CONTAINERS_PATH"/configs/* "$CONTAINERS_PATH"/logs/* "$CONTAINERS_PATH"/pids/*
}

# use_layout leaf|nested: the cgroup parent of the containers. The launcher (this shell)
# always runs in the leaf cgroup /launcher.scope, as under a systemd service or session.
use_layout() {
    LAYOUT=$1
    case $1 in
    leaf) unset CONTAINERS_CGROUP_PARENT ;;
    nested) export CONTAINERS_CGROUP_PARENT=a/b ;;
    esac
    note "layout $1: launcher in $(cat /proc/self/cgroup), containers under $CG/$(cgroup_parent)"
}

# The VM as the launcher's host: the launcher's leaf cgroup (this shell and so every runner it
# starts), the host program of the hostprog group.
setup_host() {
    mkdir -p "$CG/launcher.scope"
    echo $$ >"$CG/launcher.scope/cgroup.procs"
    mkdir -p /hostbin
    cp "$PROBE" /hostbin/v2probe
    chmod 0755 /hostbin /hostbin/v2probe
}

# setup_runner DIR: a runner's state directory and busybox rootfs under DIR.
setup_runner() {
    WORK=$1
    export CONTAINERS_PATH=$WORK/state
    ROOTFS=$WORK/rootfs
    mkdir -p "$CONTAINERS_PATH/configs" "$CONTAINERS_PATH/logs" "$CONTAINERS_PATH/pids"
    mkdir -p "$ROOTFS/bin" "$ROOTFS/sbin" "$ROOTFS/proc" "$ROOTFS/dev" "$ROOTFS/tmp" "$ROOTFS/etc" "$ROOTFS/sys"
    cp /bin/busybox "$ROOTFS/bin/busybox"
    # One symbolic link to /bin/busybox per applet (one exec: a fork costs ~20 ms under TCG).
    chroot "$ROOTFS" /bin/busybox --install -s /bin
    cp "$PROBE" "$ROOTFS/bin/v2probe"
    # A user-namespaced init runs as an unprivileged host uid: it must reach the rootfs.
    chmod 0755 "$WORK" "$CONTAINERS_PATH" "$ROOTFS"
    probe_idmap
}

# probe_idmap: with `u`, id_map_mode=idmap (the default) needs a root filesystem the kernel can
# mount idmapped; the VM's root is a tmpfs, which supports it from Linux 6.3 only. The checker
# asks the kernel: when it refuses, the suite's `u` configs say id_map_mode=none (the plain
# binds these tests were written for) and the idmapped-ownership tests run on the host only
# (Tests/IntegrationTests/IDMapTests.swift).
probe_idmap() {
    IDMAP_LINE=""
    write_config idmap-probe /bin/true u
    ct check idmap-probe
    case "$CT_OUT$CT_ERR" in
    *"[idmap-unsupported]"*)
        IDMAP_LINE=id_map_mode=none
        echo "note: $(uname -r) cannot mount this rootfs ($(stat -f -c %T "$ROOTFS")) idmapped: u configs use id_map_mode=none" >&2 ;;
    esac
    rm -f "$CONTAINERS_PATH/configs/idmap-probe"
}
