#!/bin/sh
# PID 1 of the v2 VM after switch_root (/ is a tmpfs): mounts the pseudo file systems and the
# cgroup2 hierarchy (the kernel runs with cgroup_no_v1=all), makes the RAM disk /dev/ram0 (1:0)
# for io.max, runs the suite with its output on the console and on the second serial port
# (/dev/ttyS1, the host's result file), then powers off (qemu runs with -no-reboot, so the
# reboot ends it). Any exit of this script panics the kernel (panic=-1 reboots, qemu exits):
# the host sees no end marker and fails the run.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts
mount -t devpts -o ptmxmode=0666 devpts /dev/pts   # `start -s` opens a pseudo-terminal
[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx
mount -t cgroup2 cgroup2 /sys/fs/cgroup
insmod /v2/modules/brd.ko rd_nr=1 rd_size=65536
[ -f /v2/env ] && . /v2/env
export V2_TESTS
echo "v2vm: kernel $(uname -r), cgroup2 controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
start=$(cut -d' ' -f1 /proc/uptime)
sh /v2/suite/suite.sh 2>&1 | tee /dev/ttyS1
end=$(cut -d' ' -f1 /proc/uptime)
echo "v2vm: booted in ${start}s, suite took $(awk "BEGIN { print $end - $start }")s" | tee /dev/ttyS1
echo "v2vm-done" >/dev/ttyS1
sync
reboot -f
