# Rapport: `make run` serves on SQLite (data/rapport.db; ADDR=host:port to
# choose the address, RAPPORT_DB for another database); `make test` runs
# every test on SQLite and, when a server answers on 127.0.0.1:5432, on
# PostgreSQL too (CI makes sure one does).

GO            ?= go
ADDR          ?= 127.0.0.1:8080
PG_TEST_URL   ?= postgres://postgres@127.0.0.1:5432/rapport_test?sslmode=disable

.PHONY: run build assets screenshots test test-sqlite bench load seed measure vet clean

build: assets
	$(GO) build -o bin/rapport ./cmd/rapport

# Front-end packages come from npm at build time (package-lock.json pins
# them); nothing third-party is committed. npm ci runs when node_modules is
# missing or older than the lock file; the files the UI serves are copied
# into internal/ui/static/vendor (gitignored), which the binary embeds.
# go build works without them: the pages need no JavaScript.
VENDOR := internal/ui/static/vendor

assets: $(VENDOR)/htmx.min.js

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make assets needs npm (apt-get install npm) to fetch the web UI's packages." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	@mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

# Retake the web UI's screenshots in docs/screenshots (browser tests).
screenshots: assets
	RAPPORT_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestPagesOnDesktopAndPhone ./internal/ui/browsertest

run: build
	@if [ -z "$$($(CURDIR)/bin/rapport user list --role admin 2>/dev/null | sed 1d)" ]; then \
		bin/rapport user add --email admin@example.com --name "Rapport Admin" --role admin && \
		echo "An admin token (keep it safe; make another with bin/rapport token create --email admin@example.com):" && bin/rapport token create --email admin@example.com --label "make run" && \
		echo "To sign in to the web UI at http://$(ADDR)/login, give the admin a password: bin/rapport user password --email admin@example.com"; \
	fi
	bin/rapport serve --addr $(ADDR)

# RAPPORT_TEST_POSTGRES may be set by the caller; otherwise it is set when
# PostgreSQL answers on loopback and the test database can be made. When it
# cannot, scripts/pg-ready says why: no psql, no server, or refused.
# -race needs cgo, hence a C compiler (gcc or clang); see README. The
# browser tests need Chromium (/usr/bin/chromium); without it they skip,
# saying so, except in CI, where they fail. They run beside the other
# packages rather than after them: most of their time is spent waiting on
# the browser, and last they would add 10 minutes to every run.
# Our packages run under the race detector; SQLite's C translated into Go
# (modernc.org/sqlite/lib, with its libc and allocator) is compiled without
# it: instrumenting its every memory access made the SQLite tests 5x
# slower, and a race inside it is not one of ours to find. The Go driver
# around it (modernc.org/sqlite) stays instrumented: left out, it made the
# race detector report races inside encoding/json.
RACE := -race -gcflags=modernc.org/sqlite/lib=-race=false -gcflags=modernc.org/libc/...=-race=false \
	-gcflags=modernc.org/memory=-race=false

test: vet assets
	@if [ -z "$$RAPPORT_TEST_POSTGRES" ]; then \
		if why=$$(scripts/pg-ready "$(PG_TEST_URL)" 2>&1); then \
			export RAPPORT_TEST_POSTGRES="$(PG_TEST_URL)"; \
		fi; \
	fi; \
	if [ -n "$$RAPPORT_TEST_POSTGRES" ]; then echo "Testing on SQLite and PostgreSQL."; \
	elif [ -n "$$CI" ]; then echo "CI needs PostgreSQL on 127.0.0.1:5432 (run .ci/run): $$why" >&2; exit 1; \
	else echo "Testing on SQLite only: $$why"; fi; \
	if ! CGO_ENABLED=1 $(GO) env CC >/dev/null 2>&1 || ! command -v "$$(CGO_ENABLED=1 $(GO) env CC)" >/dev/null 2>&1; then \
		echo "make test runs go test -race, which needs a C compiler (cgo): install gcc, or run make test-sqlite." >&2; exit 1; \
	fi; \
	$(GO) test $(RACE) -count=1 -timeout 20m ./internal/ui/browsertest & browser=$$!; \
	$(GO) test $(RACE) -count=1 -timeout 20m $$($(GO) list ./... | grep -v '/internal/ui/browsertest$$'); status=$$?; \
	wait $$browser || status=1; exit $$status

test-sqlite: vet assets
	RAPPORT_TEST_POSTGRES= $(GO) test -count=1 ./...

vet:
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Load: 16 clients creating tickets over HTTP against a fresh SQLite server,
# beside the raw SQLite commit rate of this machine.
load:
	$(GO) run ./cmd/rapport-load run -clients 16 -duration 10s

# Seed an empty database with a realistic help desk, then time the API on
# it: make seed DB=/tmp/big.db TICKETS=100000 && make measure DB=/tmp/big.db
TICKETS ?= 100000
seed:
	$(GO) run ./cmd/rapport-load seed -db $(DB) -tickets $(TICKETS)

measure:
	$(GO) run ./cmd/rapport-load measure -db $(DB)

clean:
	rm -rf bin node_modules $(VENDOR)
