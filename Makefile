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

.PHONY: install run test unit e2e bench chaos backup restore check-ledger clean

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

## Start the whole suite (databases, migrations, first admin, five services + gateway).
run: $(STAMP)
	$(PY) scripts/stack.py run

## Lint, unit tests, then end-to-end tests against real PostgreSQL and RabbitMQ.
test: $(STAMP) $(KUBECTL) $(CHECKOV)
	$(VENV)/bin/ruff check common services gateway scripts tests bench
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -p no:nameko -p no:cacheprovider -q

unit: $(STAMP) $(KUBECTL) $(CHECKOV)
	$(PY) -m pytest -p no:nameko -q -m "not e2e"

e2e: $(STAMP)
	$(PY) -m pytest -p no:nameko -q -m e2e

## Benchmarks, each on a private copy of the suite; figures go to docs/benchmarks.md.
## All by default; pick some with e.g. make bench BENCH="run sales" (run = the backbone).
BENCH ?= run customers sales finance workspace
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
	rm -rf $(VENV) .local
