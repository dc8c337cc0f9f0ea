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

## test: run every test (PostgreSQL and browser tests run when VOUCH_TEST_POSTGRES and chromium are present; CI requires both)
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...

## bench: run the benchmarks behind docs/performance.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 30m ./...

## lint: gofmt and go vet
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
