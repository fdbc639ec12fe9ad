#!/usr/bin/env bash
# scripts/v2vm/run.sh [CONTAINER]: the cgroup v2 suite on a real cgroup-v2-only kernel.
#
# Fetches Debian's kernel once (kernel.sh), builds an initramfs around the static release
# `container` (default .build/release/container, from scripts/release.sh) and the suite
# (initramfs.sh), boots it in qemu-system-x86_64 (TCG: a KVM guest hangs at boot on these
# machines) with cgroup_no_v1=all, and reads the suite's PASS/FAIL lines back from the VM's
# second serial port. A VM that panics, fails or does not finish within $V2VM_TIMEOUT seconds
# (default 300) fails the run; nothing is ever skipped. Ends with
# `v2-suite: N passed, N failed` and exits non-zero on any failure.
# Environment: V2_TESTS="limits lifecycle" runs only those groups (Tests/V2Suite/suite.sh);
# V2VM_TIMEOUT; V2VM_CACHE (the kernel cache); V2VM_VERBOSE=1 shows the console as it runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
container="$(realpath "${1:-$root/.build/release/container}")"
timeout_seconds="${V2VM_TIMEOUT:-300}"
for tool in qemu-system-x86_64 gcc strip file; do
    command -v "$tool" >/dev/null || { echo "v2vm: $tool is missing: run scripts/install-deps.sh" >&2; exit 1; }
done
[[ -x $container ]] || { echo "v2vm: no $container: run scripts/release.sh first" >&2; exit 1; }

work="$root/.build/v2vm"
mkdir -p "$work"
kernel="$("$root/scripts/v2vm/kernel.sh")"
"$root/scripts/v2vm/initramfs.sh" "$container" "$kernel" "$work/initramfs.cpio"
console="$work/console.log" results="$work/results.log"
rm -f "$console" "$results"

echo "v2vm: booting $(cat "$kernel/version") (cgroup v2 only) with $(basename "$container"); console in $console"
image="$kernel/vmlinuz"
[[ -f $kernel/vmlinux ]] && image="$kernel/vmlinux"
started=$(date +%s.%N)
status=0
qemu=(qemu-system-x86_64 -accel tcg -cpu max -m 1536 -smp 2 -nographic -no-reboot -nic none
      -kernel "$image" -initrd "$work/initramfs.cpio"
      -append "console=ttyS0 cgroup_no_v1=all panic=-1 loglevel=4"
      -serial mon:stdio -serial "file:$results")
if [[ ${V2VM_VERBOSE:-} == 1 ]]; then
    timeout -k 5 "$timeout_seconds" "${qemu[@]}" </dev/null 2>&1 | tee "$console" || status=$?
else
    timeout -k 5 "$timeout_seconds" "${qemu[@]}" </dev/null >"$console" 2>&1 || status=$?
fi
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

touch "$results"
tr -d '\r' <"$results" >"$results.clean" && mv "$results.clean" "$results"
# The two layouts run at once in the VM: their lines, each layout's in its own order.
grep -E '^(PASS|FAIL) ' "$results" | awk '{ split($2, name, "/"); print name[1] "\t" $0 }' \
    | sort -s -k1,1 | cut -f2- || true
passed=$(grep -c '^PASS ' "$results" || true)
failed=$(grep -c '^FAIL ' "$results" || true)
problem=""
if [[ $status -eq 124 || $status -eq 137 ]]; then problem="the VM did not finish within ${timeout_seconds}s"
elif grep -q 'Kernel panic' "$console"; then problem="the guest kernel panicked: $(grep -m1 'Kernel panic' "$console")"
elif [[ $status -ne 0 ]]; then problem="qemu exited with status $status"
elif ! grep -qx 'v2vm-done' "$results"; then problem="the suite did not finish (no end marker)"
elif ! grep -q '^v2-guest: ' "$results"; then problem="the suite stopped before its end (a shell error?)"
elif ! grep -qx "v2-guest: $passed passed, $failed failed" "$results"; then
    problem="the suite counted '$(grep '^v2-guest: ' "$results")', the lines say $passed passed, $failed failed"
elif [[ $((passed + failed)) -eq 0 ]]; then problem="the suite ran no test (V2_TESTS='${V2_TESTS:-}')"
fi
if [[ -n $problem ]]; then
    echo "FAIL vm: $problem; the console's last lines:"
    tail -n 30 "$console" | sed 's/^/  | /'
    failed=$((failed + 1))
fi
grep '^v2vm: ' "$results" || true
echo "v2vm: qemu ran ${elapsed}s in all"
echo "v2-suite: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
