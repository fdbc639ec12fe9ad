#!/usr/bin/env bash
# scripts/v2vm/initramfs.sh CONTAINER KERNEL_DIR OUTPUT: the v2 VM's initramfs (an uncompressed
# newc cpio, made with busybox cpio) holding the host's static busybox, the static `container`
# (stripped), the suite (Tests/V2Suite), v2probe (compiled here with gcc -static), the kernel
# modules of KERNEL_DIR and the guest's init scripts. $V2_TESTS, when set, is written to
# /v2/env and selects the suite's groups.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
container="$1" kernel="$2" output="$3"
busybox="$(command -v busybox || echo /bin/busybox)"
file -L "$busybox" | grep -q 'statically linked' \
    || { echo "v2vm: $busybox is not static: apt-get install busybox-static" >&2; exit 1; }
file -L "$container" | grep -q 'statically linked' \
    || { echo "v2vm: $container is not a static executable (scripts/release.sh says why)" >&2; exit 1; }

stage="$output.d"
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,v2/bin,v2/suite,v2/modules,proc,sys,dev,tmp}
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list); do
    [[ $applet == busybox ]] || ln -s busybox "$stage/bin/$applet"
done
cp "$root/scripts/v2vm/guest-init.sh" "$stage/init"
cp "$root/scripts/v2vm/guest-stage2.sh" "$stage/v2/"
strip -o "$stage/v2/bin/container" "$container"
gcc -static -O2 -Wall -Werror -o "$stage/v2/bin/v2probe" "$root/Tests/V2Suite/v2probe.c" -lm
cp "$root"/Tests/V2Suite/*.sh "$stage/v2/suite/"
cp "$kernel"/modules/*.ko "$stage/v2/modules/"
printf 'V2_TESTS=%s\n' "'${V2_TESTS:-}'" >"$stage/v2/env"
chmod 0755 "$stage/init" "$stage/v2/guest-stage2.sh" "$stage"/v2/suite/*.sh
(cd "$stage" && find . -mindepth 1 | sed 's|^\./||' | "$busybox" cpio -o -H newc -R 0:0 2>/dev/null) >"$output"
rm -rf "$stage"
