# crmctl — make demo: build and run a short story; make test: build and run every test.
PREFIX ?= /usr/local
SWIFT ?= swift
BIN_DEBUG = .build/debug/crmctl
BIN_RELEASE = .build/release/crmctl

.PHONY: all deps build release demo test install fuzz bench clean

all: build

# The SQLite headers and pkg-config, from Debian's packages, when missing.
deps:
	@if ! pkg-config --exists sqlite3 2>/dev/null; then \
		echo "installing libsqlite3-dev and pkg-config"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build --product crmctl

# The Swift runtime linked in: a cron job starts crmctl thousands of times, and loading the runtime's
# shared libraries is a third of a start.
release: deps
	$(SWIFT) build -c release --product crmctl --static-swift-stdlib

demo: build
	CRMCTL=$(BIN_DEBUG) bash scripts/demo.sh

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

install: release
	install -d "$(PREFIX)/bin"
	install -m 755 $(BIN_RELEASE) "$(PREFIX)/bin/crmctl"

# crmctl against the sqlite3 shell, in one run: ingest, memory, start-up, history (see scripts/bench.py).
bench: release
	@command -v sqlite3 >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq sqlite3; }
	python3 scripts/bench.py

# libFuzzer on the event decoder, the intake and the engine for FUZZ_SECONDS (default five minutes).
# New inputs go to .build-fuzz/corpus; a crash leaves crash-* here: copy it into Fuzz/corpus, where the
# tests replay every file.
FUZZ_SECONDS ?= 300
fuzz: deps
	$(SWIFT) build --product CRMFuzz --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
	mkdir -p .build-fuzz/corpus
	.build-fuzz/debug/CRMFuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
		-dict=Fuzz/events.dict .build-fuzz/corpus Fuzz/corpus

clean:
	rm -rf .build .build-fuzz
