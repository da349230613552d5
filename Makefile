# Fleetwatch entry points. Every target installs what it needs on a fresh machine
# (pnpm at the pinned version, dependencies from the lockfile, the Kafka jars) and is quick afterwards.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PNPM_VERSION := $(shell node -p "require('./package.json').packageManager.split('@')[1]")
INSTALL_STAMP := node_modules/.install-stamp
KAFKA_STAMP := .cache/kafka-3.9.1/libs/.complete
TSX := pnpm exec tsx --conditions=source
# make test TEST_JUNIT=<file> also writes vitest's JUnit XML report to <file> (the Jenkinsfile's Test stage);
# unset, make test runs exactly as without it.
TEST_JUNIT ?=

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.PHONY: pnpm
pnpm:
	@if [ "$$(pnpm --version 2>/dev/null)" != "$(PNPM_VERSION)" ]; then \
	  echo "installing pnpm $(PNPM_VERSION)"; npm install -g --no-fund --no-audit pnpm@$(PNPM_VERSION); fi

$(INSTALL_STAMP): pnpm-lock.yaml package.json pnpm-workspace.yaml deploy/package.json $(wildcard packages/*/package.json services/*/package.json)
	@$(MAKE) --no-print-directory pnpm
	pnpm install --frozen-lockfile
	@touch $@

.PHONY: install
install: $(INSTALL_STAMP) ## install pnpm and the dependencies (frozen lockfile)

$(KAFKA_STAMP): deploy/local/kafka/pom.xml | $(INSTALL_STAMP)
	$(TSX) packages/local-infra/src/cli.ts jars

.PHONY: kafka-jars
kafka-jars: $(KAFKA_STAMP) ## fetch the Apache Kafka broker jars from Maven Central into .cache/

# deploy/tools/install.sh keeps a stamp per tool and version under .cache/tools/stamps and returns at once
# when everything is in place, so the target runs it every time rather than tracking its inputs here.
.PHONY: deploy-tools
deploy-tools: ## install the deployment checks' tools (helm, kubeconform, kube-score, pss-check, promtool, otelcol, LuaJIT, OpenSearch jars, schemas; tofu, tflint, checkov) into .cache/tools
	@bash deploy/tools/install.sh

.PHONY: lint
lint: $(INSTALL_STAMP) ## ESLint and Prettier
	pnpm exec eslint .
	pnpm exec prettier --check .

.PHONY: typecheck
typecheck: $(INSTALL_STAMP) ## TypeScript, strict, over every package and service
	pnpm exec tsc -p tsconfig.json

.PHONY: build
build: $(INSTALL_STAMP) ## compile every package and service to dist/
	pnpm run build

.PHONY: test
test: $(INSTALL_STAMP) $(KAFKA_STAMP) deploy-tools lint typecheck ## lint, typecheck, and every test against real PostgreSQL and Kafka
	pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.cache/test-results.json \
	  $(if $(TEST_JUNIT),--reporter=junit --outputFile.junit=$(TEST_JUNIT))
	@node -e "const r=require('./.cache/test-results.json'); console.log('Tests: ' + r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed, ' + (r.numPendingTests + r.numTodoTests) + ' skipped')"

.PHONY: dev
dev: $(INSTALL_STAMP) $(KAFKA_STAMP) ## the whole platform with demo data and the fleet simulator, until Ctrl-C
	env $$($(TSX) packages/service-kit/src/dev-token-cli.ts --env) \
	  node --conditions=source --import tsx packages/demo/src/cli.ts dev

.PHONY: reset
reset: ## forget make dev's data (PostgreSQL, Kafka, demo data); the next make dev starts afresh
	rm -rf .data/dev

.PHONY: simulate
simulate: $(INSTALL_STAMP) ## the simulator alone against a running platform (make dev's demo vessels), until Ctrl-C
	node --conditions=source --import tsx packages/demo/src/cli.ts simulate $(ARGS)

.PHONY: soak
soak: $(INSTALL_STAMP) $(KAFKA_STAMP) ## platform + simulator for SOAK_SECONDS (600), then proves nothing was lost
	node --conditions=source --import tsx packages/demo/src/cli.ts soak

.PHONY: bench
bench: $(INSTALL_STAMP) ## benchmarks; JSON results in bench-results/
	pnpm run bench

.PHONY: token
token: $(INSTALL_STAMP) ## dev-only JWT: make token TENANT=<id> ROLE=<role>[,<role>]
	@$(TSX) packages/service-kit/src/dev-token-cli.ts --tenant "$(TENANT)" --roles "$(ROLE)"

.PHONY: openapi
openapi: $(INSTALL_STAMP) ## write each service's OpenAPI document to its openapi.json
	pnpm -r --if-present run openapi

.PHONY: clean
clean: ## remove build output and local data (keeps the Kafka jars)
	rm -rf .data packages/*/dist services/*/dist bench-results
