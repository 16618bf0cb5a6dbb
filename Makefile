# socmap — build, run and test. `make help` lists the targets.
GO      ?= go
BIN     := bin/socmap
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/socmap/socmap/internal/version.Version=$(VERSION)
ARGS    ?=

UI_DEPS  := frontend/node_modules/.package-lock.json
UI_BUILT := frontend/dist/index.html
UI_SRC   := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
            $(wildcard frontend/index.html frontend/*.ts frontend/*.json frontend/*.js)

.PHONY: help prereqs run demo build test test-go test-ui lint openapi screenshots bench-pages clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

prereqs: ## check Go (the version in go.mod), gcc, Node.js 20.19+/22.12+ and npm; say how to install what is missing
	@scripts/prereqs

run: build ## build (UI too, if needed) and serve on 127.0.0.1:8080; pass flags with ARGS="..."
	./$(BIN) serve $(ARGS)

demo: build ## load the demo organisation into ./data (once; prints its admin password), then serve it
	-./$(BIN) demo
	./$(BIN) serve --organisation "Larkspur Payroll Ltd" $(ARGS)

# Everything that compiles or installs checks the prerequisites first
# (order-only, so the check never makes a target out of date).
build: $(UI_BUILT) | prereqs ## build bin/socmap with the web UI embedded
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/socmap

$(UI_DEPS): frontend/package.json frontend/package-lock.json | prereqs
	cd frontend && npm ci --no-audit --no-fund

$(UI_BUILT): $(UI_DEPS) $(UI_SRC)
	cd frontend && npm run build

test: prereqs test-ui test-go ## every test: UI unit tests, Go tests (race, SQLite and PostgreSQL), browser and reliability tests

test-ui: $(UI_DEPS) | prereqs ## UI unit tests
	cd frontend && npm test

# scripts/with-postgres adds a throwaway PostgreSQL server so the store and
# API tests run on both databases. The browser tests (tag browser) need the
# UI built and embedded; they run without -race because chromedp v0.23.0
# reads DOM node attributes outside its own lock in SendKeys, which the race
# detector reports as a failure of whichever test types into a changing page.
# The reliability tests (tag reliability) load the server for a minute and
# kill it mid-write; they run without -race so the load is real.
test-go: $(UI_BUILT) | prereqs ## Go tests with -race on SQLite and PostgreSQL, then the browser and reliability tests
	scripts/test-deps
	scripts/with-postgres $(GO) test -race -count=1 ./...
	$(GO) test -count=1 -tags browser ./internal/browsertest/
	$(GO) test -count=1 -tags reliability -timeout 10m ./internal/reliability/

bench-pages: $(UI_BUILT) | prereqs ## page budgets on the large programme (shown 500 ms, blocked 200 ms, 1 MB, idle); run on a quiet machine
	scripts/test-deps
	$(GO) test -count=1 -tags 'browser pagebudget' -run TestPageBudgetsOnLargeProgramme -v ./internal/browsertest/

# vet runs go vet with the options in $(1) over every package, including
# the tests behind the browser and reliability build tags.
vet = $(GO) vet $(1) ./... && \
	$(GO) vet $(1) -tags 'browser pagebudget' ./internal/browsertest/ && \
	$(GO) vet $(1) -tags reliability ./internal/reliability/

# bin/socmaplint (internal/lint) holds socmap's own analyzers, such as the
# dropped-error check; go vet runs it over the tests too.
lint: $(UI_DEPS) ## gofmt, go vet, socmap's own analyzers (dropped errors), UI lint and typecheck
	@out=$$(gofmt -l cmd internal catalogs exports frontend/embed.go); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(call vet,)
	$(GO) build -o bin/socmaplint ./internal/lint/socmaplint
	$(call vet,-vettool=$(CURDIR)/bin/socmaplint)
	cd frontend && npm run lint

# The UI's types (frontend/src/gen/api-types.ts) are generated from a
# committed copy of the API description; TestOpenAPIFileIsCurrent and
# `npm run lint` fail when either is stale.
openapi: $(UI_DEPS) ## after an API change: write the API description to frontend/src/gen and regenerate the UI's types from it
	$(GO) run ./cmd/socmap openapi > frontend/src/gen/openapi.json.tmp
	mv frontend/src/gen/openapi.json.tmp frontend/src/gen/openapi.json
	cd frontend && npm run gen

screenshots: $(UI_BUILT) ## regenerate docs/screenshots (dashboard, workbook) from the demo data
	scripts/test-deps
	SOCMAP_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -tags browser -run TestDashboardOnDemoData ./internal/browsertest/

clean: ## remove build output (keeps the database in ./data)
	rm -rf bin frontend/node_modules
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete
