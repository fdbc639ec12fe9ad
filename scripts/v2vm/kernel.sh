#!/usr/bin/env bash
# scripts/v2vm/kernel.sh: prints the directory of a Debian kernel for the cgroup v2 VM, fetching
# it once. The kernel is the package linux-image-amd64 depends on (linux-image-6.x-amd64),
# fetched with `apt-get download` and unpacked with `dpkg -x`: never installed (installing it
# would pull initramfs-tools and systemd onto the host). Only vmlinuz (and vmlinux, the same
# kernel uncompressed), the config and the modules the VM loads are kept, in $V2VM_CACHE (default /var/cache/minimal_containers/v2vm).
set -euo pipefail
cache="${V2VM_CACHE:-/var/cache/minimal_containers/v2vm}"
# The modules the guest loads with insmod (paths under lib/modules/VERSION/kernel).
modules=(drivers/block/brd.ko)

kernel_package() {
    apt-cache depends linux-image-amd64 2>/dev/null \
        | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}

# A kernel fetched before, when the package lists or the mirror cannot give one now.
cached_kernel() {
    local cached
    cached="$(find "$cache" -mindepth 2 -maxdepth 2 -name .complete -printf '%h\n' 2>/dev/null | sort | tail -n 1)"
    [[ -n $cached ]] || { echo "v2vm: $1, and no kernel is cached in $cache" >&2; exit 1; }
    echo "v2vm: $1; using the cached $(basename "$cached")" >&2
    echo "$cached"
    exit 0
}

mkdir -p "$cache"
package="$(kernel_package)"
if [[ -z $package ]]; then
    apt-get update -qq >&2 || true
    package="$(kernel_package)"
fi
[[ -n $package ]] || cached_kernel "apt-cache names no dependency of linux-image-amd64"
target="$cache/$package"
if [[ ! -f $target/.complete ]]; then
    echo "v2vm: fetching $package (apt-get download, unpacked with dpkg -x into $target)" >&2
    work="$(mktemp -d "$cache/fetch.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    if ! (cd "$work" && apt-get download -q -o APT::Sandbox::User=root "$package" >&2); then
        # Stale package lists name a kernel the mirror no longer has: refresh them once.
        apt-get update -qq >&2 || true
        package="$(kernel_package)"
        target="$cache/$package"
        [[ -n $package ]] && (cd "$work" && apt-get download -q -o APT::Sandbox::User=root "$package" >&2) \
            || cached_kernel "apt-get download ${package:-linux-image} failed"
    fi
    dpkg -x "$work"/"$package"_*.deb "$work/unpacked"
    version="$(basename "$(find "$work/unpacked/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n 1)")"
    rm -rf "$target"
    mkdir -p "$target/modules"
    cp "$work/unpacked/boot/vmlinuz-$version" "$target/vmlinuz"
    cp "$work/unpacked/boot/config-$version" "$target/config"
    # The uncompressed ELF kernel, booted through its PVH entry (CONFIG_PVH): decompressing the
    # bzImage under TCG takes about 5 s of every boot. Without it the VM boots vmlinuz.
    python3 - "$target/vmlinuz" "$target/vmlinux" <<'PYTHON' || rm -f "$target/vmlinux"
import lzma, sys
image = open(sys.argv[1], "rb").read()
start = image.find(b"\xfd7zXZ\x00")
kernel = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(image[start:]) if start >= 0 else b""
if kernel[:4] != b"\x7fELF":
    sys.exit("v2vm: no xz-compressed ELF kernel in " + sys.argv[1])
open(sys.argv[2], "wb").write(kernel)
PYTHON
    for module in "${modules[@]}"; do
        cp "$work/unpacked/lib/modules/$version/kernel/$module" "$target/modules/"
    done
    echo "$version" >"$target/version"
    touch "$target/.complete"
    # Older kernels fetched before are of no further use.
    find "$cache" -mindepth 1 -maxdepth 1 -type d -name 'linux-image-*' ! -path "$target" -exec rm -rf {} +
fi
echo "$target"
