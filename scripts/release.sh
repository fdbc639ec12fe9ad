#!/usr/bin/env bash
# scripts/release.sh [SCRATCH]: an optimised `container`. First tries a fully static executable
# (-static-executable, needs the static libyaml.a and glibc's static libraries); when that does
# not link, builds with the Swift runtime linked statically (--static-swift-stdlib) and says so.
set -euo pipefail
scratch="${1:-.build}"
mkdir -p "$scratch"
log="$scratch/release-static.log"
if swift build -c release --scratch-path "$scratch" -Xswiftc -static-executable >"$log" 2>&1; then
    echo "release: static executable $scratch/release/container"
else
    echo "release: -static-executable does not link here (see $log); building with --static-swift-stdlib" >&2
    swift build -c release --scratch-path "$scratch" --static-swift-stdlib
    echo "release: $scratch/release/container (Swift runtime static, glibc and libyaml dynamic)"
fi
file "$scratch/release/container" 2>/dev/null || true
