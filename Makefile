# Vouch — the two commands a new machine needs are `make run` and `make test`.
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run build test bench lint fmt clean

## run: start Vouch on http://127.0.0.1:8080 with the demo dataset (data in ./data)
run:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/vouch serve --demo

## build: build the vouch binary into ./bin
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/vouch ./cmd/vouch

# The race detector instruments our code and every library but the SQLite
# engine: modernc.org/sqlite is C translated to Go, and instrumenting it made
# each SQLite statement ten times slower without watching any code of ours.
RACE := -race -gcflags='modernc.org/...=-race=false'

## test: lint, then every test (PostgreSQL and browser tests run when VOUCH_TEST_POSTGRES and chromium are present; CI requires both, and the linter)
test: lint
	$(GO) test $(RACE) -count=1 -timeout 20m ./...

## bench: run the benchmarks behind docs/performance.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 30m ./...

GOLANGCI_LINT ?= $(shell command -v golangci-lint 2>/dev/null || echo $$($(GO) env GOPATH)/bin/golangci-lint)
GOLANGCI_LINT_VERSION := v2.15.0

## lint: gofmt, go vet and golangci-lint (.golangci.yml); without golangci-lint installed it is skipped with a note, except in CI
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	@if [ -x "$(GOLANGCI_LINT)" ]; then \
		echo "$(GOLANGCI_LINT) run ./..."; $(GOLANGCI_LINT) run ./...; \
	elif [ -n "$$CI" ]; then \
		echo "golangci-lint is missing (CI installs it: see .ci/run)"; exit 1; \
	else \
		echo "note: golangci-lint not installed, skipped (go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION))"; \
	fi

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
