#!/usr/bin/env bash
# scripts/release.sh [SCRATCH]: an optimised `container`. First tries a fully static executable
# (-static-executable, needs the static libyaml.a and glibc's static libraries); when that does
# not link, builds with the Swift runtime linked statically (--static-swift-stdlib) and says so.
# The static build lays the start path's functions out together: every function in a section
# of its own (-function-sections) and the linker told their order (scripts/start-path.order, made
# by scripts/start-path-order.sh), so a start touches fewer pages of the 29 MB executable
# (docs/performance.md: peak RSS and page faults).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${1:-.build}"
mkdir -p "$scratch"
log="$scratch/release-static.log"
layout=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xlinker "--section-ordering-file=$root/scripts/start-path.order")
# SwiftPM does not know the order file is an input of the link: a newer one forces the relink.
if [[ "$root/scripts/start-path.order" -nt "$scratch/release/container" ]]; then rm -f "$scratch/release/container"; fi
if swift build -c release --scratch-path "$scratch" -Xswiftc -static-executable "${layout[@]}" >"$log" 2>&1; then
    echo "release: static executable $scratch/release/container"
else
    echo "release: -static-executable does not link here (see $log); building with --static-swift-stdlib" >&2
    swift build -c release --scratch-path "$scratch" --static-swift-stdlib
    echo "release: $scratch/release/container (Swift runtime static, glibc and libyaml dynamic)"
fi
file "$scratch/release/container" 2>/dev/null || true
