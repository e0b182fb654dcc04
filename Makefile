# One entry point for people and CI. Every target sets itself up on a fresh machine.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install -q --no-build-isolation -c constraints.txt
PACKAGES := common services/customers services/sales services/logistics services/finance services/workspace gateway
STAMP := $(VENV)/.installed
# The deploy tests render deploy/ with it; scripts/install_kubectl.py says where it comes from.
KUBECTL := $(VENV)/bin/kubectl
# checkov's dependencies clash with constraints.txt, so it gets a virtualenv of its own.
CHECKOV := $(VENV)/checkov/bin/checkov

.PHONY: install run test unit e2e bench chaos backup restore check-ledger clean console console-test api-types no-node bench-console bench-console-lists

# The web console (web/): built by run and test when its sources changed; docs/console.md.
NODE_OK := $(shell command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo yes)
NO_NODE := The web console needs Node.js 20 and npm (apt-get install nodejs npm); without them only the API runs.
WEB_MODULES := web/node_modules/.package-lock.json
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json
API_URL ?= http://127.0.0.1:$(or $(CRM_GATEWAY_PORT),8000)

$(STAMP): constraints.txt requirements-dev.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt setuptools wheel
	$(PIP) -r requirements-dev.txt $(foreach p,$(PACKAGES),-e $(p))
	touch $@

$(KUBECTL): scripts/install_kubectl.py | $(STAMP)
	$(PY) scripts/install_kubectl.py $@

$(CHECKOV): requirements-checkov.txt
	test -x $(VENV)/checkov/bin/python || $(PYTHON) -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/python -m pip install -q -r requirements-checkov.txt
	touch $@

install: $(STAMP) $(KUBECTL) $(CHECKOV)

$(WEB_MODULES): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: $(WEB_MODULES) $(WEB_SOURCES)
	cd web && npx vite build --logLevel warn
	touch $@

no-node:
	@echo "$(NO_NODE)"

console: $(if $(NODE_OK),web/dist/index.html,no-node)

## The console's type check (vue-tsc over the generated API types), then Vitest: components and composables.
console-test: console
	@test -n "$(NODE_OK)" || { echo "$(NO_NODE)"; exit 1; }
	cd web && npx vue-tsc --noEmit
	cd web && npx vitest run

## Regenerate web/src/api/schema.d.ts from a running suite's OpenAPI document (API_URL, default make run's).
api-types: $(WEB_MODULES)
	mkdir -p .local
	$(PY) -c "import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())" \
		"$(API_URL)/api/v1/openapi.json" > .local/openapi.json
	cd web && npx openapi-typescript ../.local/openapi.json --default-non-nullable false -o src/api/schema.d.ts

## Start the whole suite (databases, migrations, first admin, five services + gateway).
run: $(STAMP) console
	$(PY) scripts/stack.py run

## Lint, unit tests, then end-to-end tests against real PostgreSQL and RabbitMQ.
test: $(STAMP) $(KUBECTL) $(CHECKOV) console-test
	$(VENV)/bin/ruff check common services gateway scripts tests bench
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -p no:nameko -p no:cacheprovider -q -n auto --dist loadfile

unit: $(STAMP) $(KUBECTL) $(CHECKOV)
	$(PY) -m pytest -p no:nameko -q -m "not e2e"

e2e: $(STAMP)
	$(PY) -m pytest -p no:nameko -q -m e2e

## Benchmarks, each on a private copy of the suite; figures go to docs/benchmarks.md.
## All by default; pick some with e.g. make bench BENCH="run sales" (run = the backbone).
BENCH ?= run customers sales finance workspace exports
bench: $(STAMP)
	set -e; for b in $(BENCH); do $(PY) bench/$$b.py; done

## Orders streamed while processes and database connections are broken; figures to docs/reliability.md.
## A private suite on loopback (CRM_TEST_SLOT shifts its ports); CHAOS_ORDERS, CHAOS_RATE pick the load.
chaos: $(STAMP)
	$(PY) scripts/chaos.py

## Dump every database into backups/<UTC stamp>/ (pg_dump custom format).
backup: $(STAMP)
	$(PY) scripts/backup.py backup

## Restore a backup: make restore BACKUP=backups/<stamp> [REPLACE=1] (stop the suite first).
restore: $(STAMP)
	$(PY) scripts/backup.py restore --from $(BACKUP) $(if $(REPLACE),--replace)

## Cross-service consistency of goods and money (CRM_DB_PREFIX picks the suite, default crm_).
check-ledger: $(STAMP)
	$(PY) scripts/check_ledger.py

clean:
	rm -rf $(VENV) .local web/node_modules web/dist

## The console at a million customers, Chromium throttled 4x (bench/console.py; docs/benchmarks.md).
bench-console: $(STAMP) console
	$(PY) bench/console.py

## The console's part-2 list pages with a realistic database (bench/console_lists.py; CRM_TEST_SLOT, default 17).
bench-console-lists: $(STAMP) console
	$(PY) bench/console_lists.py
