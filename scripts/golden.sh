#!/usr/bin/env bash
# scripts/golden.sh CONTAINER_BINARY: renders the real configs of Fixtures/render/cli/ through
# `container check --no-filesystem` in every format (one run over all files per format) and
# compares stdout, stderr and the exit status with Fixtures/render/cli/expected/all.FORMAT.
# RECORD_GOLDEN=1 re-records the expected files instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$root"
inputs=(Fixtures/render/cli/*.conf Fixtures/render/cli/*.yaml)
mkdir -p Fixtures/render/cli/expected
actual="$(mktemp -d)"
trap 'rm -rf "$actual"' EXIT
failed=0
for format in text json sarif github; do
    status=0
    NO_COLOR=1 "$binary" check --no-filesystem --format "$format" "${inputs[@]}" \
        >"$actual/stdout" 2>"$actual/stderr" || status=$?
    { cat "$actual/stdout"; echo "--- stderr"; cat "$actual/stderr"; echo "--- exit status $status"; } >"$actual/all.$format"
    expected="Fixtures/render/cli/expected/all.$format"
    if [[ "${RECORD_GOLDEN:-}" == 1 ]]; then
        cp "$actual/all.$format" "$expected"
        echo "golden: recorded $expected"
    elif ! diff -u "$expected" "$actual/all.$format"; then
        echo "golden: $format output differs from $expected (RECORD_GOLDEN=1 to re-record)" >&2
        failed=1
    fi
done
[[ $failed == 0 ]] && echo "golden: all formats match"
exit $failed
