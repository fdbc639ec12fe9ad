#!/usr/bin/env bash
# Installs the packages the build, the tests, the demo and the benchmark need, only when missing.
# qemu-system-x86 and file: the cgroup v2 VM (scripts/v2vm); its kernel is fetched and unpacked,
# never installed, by scripts/v2vm/kernel.sh. binutils: strip for the VM's initramfs.
set -euo pipefail
missing=()
# crun, runc, containerd (ctr) and the runtime-spec JSON Schema: the OCI back end's tests run
# exported bundles under each and validate them (scripts/validate-oci.py). qemu-system-x86, file
# and binutils: the cgroup v2 VM suite (scripts/v2vm). iproute2 (ip), util-linux (nsenter,
# unshare) and perl-base: the networking tests build their own network namespace and bridge and
# probe abstract unix sockets (the product itself never runs ip). bsdutils: `script`, the real
# terminal the shell-mode tests drive `container start -s` under. debootstrap and dpkg-dev: the idmapped-mount tests build a
# Debian minbase root (cached in /var/cache/minimal_containers/debootstrap) and a local apt
# repository (dpkg-scanpackages).
for package in libyaml-dev busybox-static crun hyperfine gcc libc6-dev runc containerd \
    golang-github-opencontainers-specs-dev qemu-system-x86 file binutils iproute2 util-linux perl-base bsdutils debootstrap dpkg-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
python3 -c 'import jsonschema' 2>/dev/null || missing+=(python3-jsonschema)
python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    apt-get update -qq
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; then
        # Distributions without the python3-* packages: fall back to pip for those two.
        python3 -c 'import jsonschema' 2>/dev/null || pip3 install --quiet jsonschema || pip3 install --quiet --break-system-packages jsonschema
        python3 -c 'import yaml' 2>/dev/null || pip3 install --quiet pyyaml || pip3 install --quiet --break-system-packages pyyaml
    fi
fi
