#!/usr/bin/env bash
# Builds the libFuzzer targets with swiftc (no SwiftPM: the fuzzer runtime must instrument every
# module). Usage: Fuzz/build.sh [OUT_DIR]   (default .build-fuzz). Produces OUT_DIR/fuzz-config
# (parse + check --no-filesystem + all four renderers), OUT_DIR/fuzz-json (the JSON parser) and
# OUT_DIR/fuzz-plan (the plan JSON reader of `start --plan`, round trip through the writer).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/.build-fuzz}"
mkdir -p "$out"
sanitize="-sanitize=fuzzer,address"
flags=(-O -g -parse-as-library -swift-version 6 -I "$out" -I "$root/Sources/CLibYAML")

# The C shim: an object and a module map pointing at its header.
clang -O1 -g -fsanitize=fuzzer-no-link,address -c "$root/Sources/CLinuxShim/shim.c" \
    -I "$root/Sources/CLinuxShim/include" -o "$out/CLinuxShim.o"
mkdir -p "$out/CLinuxShim"
printf 'module CLinuxShim {\n    header "%s"\n    export *\n}\n' \
    "$root/Sources/CLinuxShim/include/CLinuxShim.h" > "$out/CLinuxShim/module.modulemap"
flags+=(-I "$out/CLinuxShim")

# Swift modules in dependency order, each compiled whole-module into one object.
build_module() {
    local module="$1"
    echo "fuzz: compiling $module" >&2
    swiftc "${flags[@]}" $sanitize -wmo -c -module-name "$module" \
        -emit-module -emit-module-path "$out/$module.swiftmodule" \
        -o "$out/$module.o" "$root/Sources/$module"/*.swift
}
for module in ConfigSource JSONSupport Diagnostics ConfigLanguage SystemIO HostCgroups ConfigChecker ContainerState LaunchPlan; do
    build_module "$module"
done

objects=("$out"/ConfigSource.o "$out"/JSONSupport.o "$out"/Diagnostics.o "$out"/ConfigLanguage.o "$out"/SystemIO.o "$out"/HostCgroups.o "$out"/ConfigChecker.o "$out"/CLinuxShim.o)
# gold warns once per ASan helper symbol ("Cannot export local symbol"): noise, filtered out.
link() {
    local status=0
    swiftc "${flags[@]}" $sanitize "$@" 2>"$out/link.log" || status=$?
    grep -v "Cannot export local symbol" "$out/link.log" >&2 || true
    return "$status"
}
echo "fuzz: linking fuzz-config" >&2
link "$root/Fuzz/FuzzConfig.swift" "${objects[@]}" -lyaml -o "$out/fuzz-config"
echo "fuzz: linking fuzz-json" >&2
link "$root/Fuzz/FuzzJSON.swift" "$out/ConfigSource.o" "$out/JSONSupport.o" -o "$out/fuzz-json"
echo "fuzz: linking fuzz-plan" >&2
link "$root/Fuzz/FuzzPlan.swift" "${objects[@]}" "$out"/ContainerState.o "$out"/LaunchPlan.o -lyaml -o "$out/fuzz-plan"
echo "fuzz: built $out/fuzz-config $out/fuzz-json $out/fuzz-plan" >&2
