#!/bin/busybox sh
# /init of the v2 VM's initramfs (PID 1, as the kernel starts it). pivot_root(2) fails with
# EINVAL when / is the initramfs (rootfs cannot be unmounted), and the runtime pivots into each
# container's root: so copy everything onto a tmpfs and switch_root there first.
/bin/busybox mkdir -p /newroot
/bin/busybox mount -t tmpfs -o mode=0755 v2root /newroot || exec /bin/busybox sh -c 'echo "v2vm: mount tmpfs failed"; exit 1'
for entry in /bin /sbin /v2; do /bin/busybox cp -a "$entry" /newroot/; done
/bin/busybox mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/tmp /newroot/etc
/bin/busybox chmod 1777 /newroot/tmp
exec /bin/busybox switch_root /newroot /v2/guest-stage2.sh
