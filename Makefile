# minimal_containers: build, test, demo, fuzz, bench. Every target is a thin wrapper around a
# script or a swift command, so CI and humans run exactly the same thing.
SWIFT   ?= swift
SCRATCH ?= .build
SECONDS ?= 60

.PHONY: build release test deps demo fuzz fuzz-json bench clean-fuzz

build:
	$(SWIFT) build --scratch-path $(SCRATCH)

# A fully static executable when the toolchain's static SDK links it, else a dynamic
# executable with the Swift runtime linked in statically (scripts/release.sh says which).
release:
	scripts/release.sh $(SCRATCH)

# Installs what is missing (once), then builds and runs every test: the Swift Testing suites,
# the CLI golden files (Fixtures/render/cli/) and the check command's contract tests.
test: deps
	$(SWIFT) build --scratch-path $(SCRATCH)
	$(SWIFT) test --scratch-path $(SCRATCH)
	scripts/golden.sh $(SCRATCH)/debug/container
	scripts/check-cli-tests.sh $(SCRATCH)/debug/container

deps:
	scripts/install-deps.sh

# Builds, then checks valid and broken configs in every format (extended by the runtime demo).
demo: build
	scripts/demo.sh $(SCRATCH)/debug/container

# libFuzzer over parse + check + the four renderers; crashes land in Fuzz/crashes/.
fuzz:
	Fuzz/run.sh config $(SECONDS)

fuzz-json:
	Fuzz/run.sh json $(SECONDS)

# check --all over 10,000 and 1,000 generated configs, compared with cat (hyperfine).
bench: deps
	bench/check/run.sh $(SCRATCH)

clean-fuzz:
	rm -rf .build-fuzz
