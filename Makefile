# Rapport: `make run` serves on SQLite (data/rapport.db; ADDR=host:port to
# choose the address, RAPPORT_DB for another database); `make test` runs
# every test on SQLite and, when a server answers on 127.0.0.1:5432, on
# PostgreSQL too (CI makes sure one does).

GO            ?= go
ADDR          ?= 127.0.0.1:8080
PG_TEST_URL   ?= postgres://postgres@127.0.0.1:5432/rapport_test?sslmode=disable

.PHONY: run build test test-sqlite bench load seed measure vet clean

build:
	$(GO) build -o bin/rapport ./cmd/rapport

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
# -race needs cgo, hence a C compiler (gcc or clang); see README.
test: vet
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
	$(GO) test -race -count=1 ./...

test-sqlite: vet
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
	rm -rf bin
