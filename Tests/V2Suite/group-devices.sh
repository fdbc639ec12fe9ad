# devices: the device allow-list on cgroup v2. DEPENDS ON the eBPF device filter
# (BPF_PROG_TYPE_CGROUP_DEVICE, issue 8 item 3, another branch): until it lands these fail,
# because v2 has no devices controller and a container root without `u` has CAP_MKNOD.
#
# A container without a user namespace makes device nodes outside the list (mknod) and opens
# them; creating or opening each must fail. Every node of the fresh /dev must still work.

DEVICES_DEPEND="needs the eBPF device filter (devfilter branch)"

# Inside the container: one `node NAME mknod=yes|no open=RESULT` line per node outside the list,
# then what each allowed node does.
devices_init='probe_node() {
    if mknod "/dev/v2-$1" "$2" "$3" "$4" 2>/dev/null; then made=yes; r=$(v2probe open "/dev/v2-$1" "$5")
    else made=no; r=not-made; fi
    echo "node $1 mknod=$made open=$r"
}
probe_node tty1 c 4 1 w
probe_node kmsg c 1 11 w
probe_node ttyS0 c 4 64 w
probe_node ram0 b 1 0 r
if [ -c /dev/v2-kmsg ] && echo "<0>V2SUITE-KMSG-MARKER from a container" >/dev/v2-kmsg 2>/dev/null; then echo kmsg-write=ok; else echo kmsg-write=failed; fi
[ -c /dev/v2-ttyS0 ] && echo "V2SUITE-CONSOLE-MARKER from a container" >/dev/v2-ttyS0 2>/dev/null
echo "allowed null-write=$(echo x >/dev/null 2>&1 && echo ok) null-read=$(wc -c </dev/null)"
echo "allowed zero-read=$(head -c 8 /dev/zero | od -An -tx1 | tr -d " \n")"
echo "allowed full-write=$(echo x 2>&1 >/dev/full | grep -c "No space left")"
echo "allowed random-read=$(head -c 16 /dev/random | wc -c) urandom-read=$(head -c 16 /dev/urandom | wc -c)"
echo "allowed tty-open=$(v2probe open /dev/tty w)"
echo devices-done
exec sleep 100000'

start_device_prober() {
    write_init devprobe "$devices_init"
    write_config devices /sbin/devprobe ph
    start devices || return 1
    wait_log devices devices-done
}

# The node line of NAME: creating or opening it failed.
expect_node_denied() {
    local line
    line=$(grep "^node $1 " "$CONTAINERS_PATH/logs/devices")
    [ -n "$line" ] || because "no result for $1 in the log: $(log_of devices | tr '\n' ' ')" || return 1
    case "$line" in
    *"mknod=no"* | *"open=open-failed errno=EPERM"*) return 0 ;;
    esac
    because "$2 outside the allow-list: $line [$DEVICES_DEPEND]"
}
# Not /dev/mem (1:1): its open needs CAP_SYS_RAWIO, which init lacks, so it fails today for a
# reason other than the device policy. A virtual terminal opens with no capability.
t_char_tty1_denied() { expect_node_denied tty1 "c 4:1 (/dev/tty1, a virtual terminal)"; }
t_char_kmsg_denied() {
    expect_node_denied kmsg "c 1:11 (/dev/kmsg)" || return 1
    expect_contains "$(log_of devices)" kmsg-write=failed "writing into the kernel log" || return 1
    expect_not_contains "$(dmesg)" V2SUITE-KMSG-MARKER "the VM's kernel log"
}
t_char_serial_denied() { expect_node_denied ttyS0 "c 4:64 (the VM's serial console)"; }
t_block_ram0_denied() { expect_node_denied ram0 "b 1:0 (/dev/ram0)"; }
t_allowed_nodes_work() {
    local log
    log=$(grep '^allowed ' "$CONTAINERS_PATH/logs/devices" | tr '\n' ' ')
    expect_contains "$log" "null-write=ok null-read=0" "/dev/null" || return 1
    expect_contains "$log" "zero-read=0000000000000000" "/dev/zero" || return 1
    expect_contains "$log" "full-write=1" "/dev/full (ENOSPC on write)" || return 1
    expect_contains "$log" "random-read=16 urandom-read=16" "/dev/random, /dev/urandom" || return 1
    # init has no controlling terminal: the tty driver says ENXIO; a device filter says EPERM.
    case "$log" in
    *"tty-open=open-ok"* | *"tty-open=open-failed errno=ENXIO"*) ;;
    *) because "/dev/tty: $log" || return 1 ;;
    esac
}

group_devices() {
    note "group devices: $DEVICES_DEPEND; fails until it lands"
    if start_device_prober; then
        run_check devices.char_4_1_virtual_terminal_denied t_char_tty1_denied
        run_check devices.char_1_11_kmsg_denied t_char_kmsg_denied
        run_check devices.char_4_64_serial_console_denied t_char_serial_denied
        run_check devices.block_1_0_ram_disk_denied t_block_ram0_denied
        run_check devices.allowed_nodes_work t_allowed_nodes_work
    else
        run_check devices.start_the_prober false
    fi
    cleanup_containers
}
