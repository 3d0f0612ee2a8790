# Galley's two commands: `make run` (set up and open the app) and `make test` (every test layer).
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(CURDIR)/target
export GALLEY_TOOLS_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/galley-tools
APP := $(CARGO_TARGET_DIR)/debug/galley-app

.PHONY: run test lint deps test-deps ui core-test e2e screenshot bench bench-app bench-images ipc-types test-astro package package-deps test-package

## Set up whatever is missing, build the UI and the app, and open the window.
run: deps ui
	cargo build -p galley-app
	@scripts/run.sh $(APP)

## Install what the tests need and run every layer: core, commands, end to end.
test: test-deps ui lint
	cargo test --workspace
	cargo build -p galley-app -p galley-cli
	scripts/e2e.sh $(APP)

## Format, lint and type checks (fast; needs the built UI, which the app crate embeds): rustfmt,
## clippy with warnings as errors, tsc.
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	cd ui && npx tsc --noEmit -p .

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

ui:
	cd ui && npm run --silent build

## Regenerate ui/src/ipc-types.ts from the Rust types (the test `ipc_types` in `make test` fails when it is stale).
ipc-types: ui
	GALLEY_WRITE_IPC_TYPES=1 cargo test -p galley-app --test ipc_types

## Core tests only (fast inner loop, no app or CLI build).
core-test:
	cargo test -p galley

## Only the end-to-end tests (expects the app built).
e2e: test-deps ui
	cargo build -p galley-app -p galley-cli
	scripts/e2e.sh $(APP)

## Screenshot of the running app under Xvfb into docs/screenshot.png (for the README).
screenshot: test-deps ui
	cargo build -p galley-app
	GALLEY_SCREENSHOT=$(CURDIR)/docs/screenshot.png GALLEY_E2E_SCRIPT=screenshot.mjs scripts/e2e.sh $(APP)

## The astro export built by a real Astro (npm, about 20 s to install once; see README for the build time).
test-astro: test-deps
	cargo build -p galley-cli
	scripts/astro-check.sh $(CARGO_TARGET_DIR)/debug/galley

## Criterion benchmarks.
bench:
	cargo bench -p galley

## In-app keystroke-to-painted-preview latency per WebKitGTK rendering mode (release build, Xvfb).
bench-app: test-deps
	scripts/bench-app.sh

## Opening a post with 50 images until every image has painted, against the same text without them
## (release build, Xvfb; BENCH_RUNS=5).
bench-images: test-deps
	scripts/bench-images.sh

## The release .deb in $(CARGO_TARGET_DIR)/debian/: app, CLI, desktop entry, icons, AppStream,
## man pages, completions; validated (desktop-file-validate, appstreamcli, lintian).
package: package-deps ui
	scripts/package.sh

package-deps:
	@scripts/install-deps.sh --package

## Builds the .deb, unpacks it into a throwaway root and runs the packaged app through the E2E
## harness (opens a post), and checks the CLI, man pages and completions in it.
test-package: package
	scripts/test-package.sh
