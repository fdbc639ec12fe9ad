#!/usr/bin/env bash
# scripts/lint.sh: the checks `make lint` (and so `make test` and CI) runs on the tree.
# 1. Formatting: `swift format lint --strict` with .swift-format (`make format` fixes it).
# 2. The house's import rules (docs/architecture.md): each module imports only what its row
#    allows, and no command file calls the planner, the runtime or the lifecycle readers itself.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

if ! swift format lint --strict --configuration .swift-format --recursive Sources Tests; then
    echo "lint: formatting differs from .swift-format; run 'make format'" >&2
    status=1
fi

python3 - <<'PY' || status=1
import pathlib, re, sys
# module -> modules it may import (Glibc, Foundation-free library modules; tests are not checked).
allowed = {
    "SystemIO": {"CLinuxShim"},
    "ConfigSource": set(),
    "JSONSupport": {"ConfigSource"},
    "ContainerState": set(),
    "HostCgroups": {"SystemIO"},
    "Diagnostics": {"ConfigSource", "JSONSupport"},
    "ConfigLanguage": {"ConfigSource", "Diagnostics", "CLibYAML"},
    "ConfigChecker": {"ConfigSource", "Diagnostics", "ConfigLanguage", "HostCgroups", "SystemIO"},
    "LaunchPlan": {"ConfigLanguage", "ConfigChecker", "ContainerState", "JSONSupport", "HostCgroups"},
    "OCIBundle": {"ConfigChecker", "ConfigLanguage", "LaunchPlan", "JSONSupport"},
    "ContainerRuntime": {"LaunchPlan", "ContainerState", "CLinuxShim", "JSONSupport", "HostCgroups", "SystemIO",
                         "ConfigLanguage", "ConfigChecker"},
    "ContainerEngine": {"ConfigSource", "Diagnostics", "ConfigLanguage", "ConfigChecker", "LaunchPlan", "OCIBundle",
                        "ContainerRuntime", "ContainerState", "HostCgroups", "SystemIO", "JSONSupport"},
    "ContainerCommands": {"ContainerEngine", "Diagnostics", "LaunchPlan", "ContainerRuntime", "ContainerState",
                          "JSONSupport", "HostCgroups", "SystemIO", "OCIBundle", "ArgumentParser"},
    "container": {"ContainerCommands"},
}
always = {"Glibc"}
# Calls a command file must leave to the engine.
forbidden_in_commands = re.compile(r"\b(PlanGenerator|PlanExecutor|Killer|LifecycleCleanup|LifecycleHost|CgroupProbe|ConfigChecker\.check|OCISpec)\b")
problems = []
for module_dir in sorted(pathlib.Path("Sources").iterdir()):
    module = module_dir.name
    if module not in allowed:
        if any(module_dir.rglob("*.swift")):
            problems.append(f"{module}: not in the import table of scripts/lint.sh and docs/architecture.md")
        continue
    for source in sorted(module_dir.rglob("*.swift")):
        text = source.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            match = re.match(r"\s*(?:@testable\s+|@_exported\s+)?import\s+(\w+)", line)
            if match and match.group(1) not in allowed[module] | always:
                problems.append(f"{source}:{number}: {module} may not import {match.group(1)} (docs/architecture.md)")
            if module == "ContainerCommands" and not line.lstrip().startswith("//"):
                call = forbidden_in_commands.search(line)
                if call:
                    problems.append(f"{source}:{number}: a command calls {call.group(1)}: that is the engine's work")
for problem in problems:
    print("lint: " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

if ((status == 0)); then echo "lint: ok"; fi
exit $status
