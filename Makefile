# minimal_containers: build, test, demo, fuzz, bench. Every target is a thin wrapper around a
# script or a swift command, so CI and humans run exactly the same thing.
SWIFT   ?= swift
SCRATCH ?= .build
SECONDS ?= 60

.PHONY: build release test test-v2 lint format deps demo fuzz fuzz-json fuzz-plan bench clean-fuzz

build:
	$(SWIFT) build --scratch-path $(SCRATCH)

# A fully static executable when the toolchain's static SDK links it, else a dynamic
# executable with the Swift runtime linked in statically (scripts/release.sh says which).
release:
	scripts/release.sh $(SCRATCH)

# Installs what is missing (once), lints (formatting, import rules), then builds and runs every test: the Swift Testing suites,
# the CLI golden files (Fixtures/render/cli/) and the check command's contract tests, then the
# cgroup v2 suite in a VM (test-v2).
test: deps
	scripts/lint.sh
	$(SWIFT) build --scratch-path $(SCRATCH) --build-tests
	scripts/golden.sh $(SCRATCH)/debug/container
	scripts/check-cli-tests.sh $(SCRATCH)/debug/container
	$(SWIFT) test --scratch-path $(SCRATCH) --skip-build
	scripts/release.sh $(SCRATCH)
	scripts/v2vm/run.sh $(SCRATCH)/release/container

# The cgroup v2 suite alone: boots Debian's kernel with cgroup v2 only under QEMU and runs
# Tests/V2Suite against the static release binary (docs/cgroups.md, "Running the v2 suite
# alone"). V2_TESTS="limits lifecycle" runs only those groups.
test-v2: deps
	scripts/release.sh $(SCRATCH)
	scripts/v2vm/run.sh $(SCRATCH)/release/container

deps:
	scripts/install-deps.sh

# Formatting (.swift-format) and the import rules of docs/architecture.md; `make test` runs it.
lint:
	scripts/lint.sh

# Rewrites the sources in the house style (.swift-format); `make lint` then passes.
format:
	$(SWIFT) format format --configuration .swift-format --in-place --recursive Sources Tests

# Installs what is missing, builds, checks valid and broken configs in every format, then (as
# root) starts a real container from a busybox rootfs, lists it, looks inside, kills it.
demo: deps build
	scripts/demo.sh $(SCRATCH)/debug/container
	@if [ "$$(id -u)" -eq 0 ]; then scripts/demo-runtime.sh $(SCRATCH)/debug/container; \
	else echo "the runtime part of the demo starts containers: run it as root (sudo make demo)"; fi

# libFuzzer over parse + check + the four renderers; crashes land in Fuzz/crashes/.
fuzz:
	Fuzz/run.sh config $(SECONDS)

fuzz-json:
	Fuzz/run.sh json $(SECONDS)

fuzz-plan:
	Fuzz/run.sh plan $(SECONDS)

# check --all over 10,000 and 1,000 generated configs, compared with cat (hyperfine).
bench: deps
	bench/run.sh $(SCRATCH)

clean-fuzz:
	rm -rf .build-fuzz
