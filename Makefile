# The two commands of the README's quick start.  Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-kernel lint typecheck unit bench exhaustive mutate mutate-quick clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/physcapy

lint: $(STAMP)
	$(BIN)/ruff check physcapy tests benchmarks scripts
	$(BIN)/ruff format --check physcapy tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck unit

# linux:// against real kernel drivers: a Debian kernel under QEMU with e1000, e1000e and
# virtio-net NICs runs tests/kernel (needs qemu-system-x86, kmod, ethtool; the kernel
# package is fetched with apt-get download).  See scripts/kernel_test.py.
KSTAMP := $(VENV)/.installed-kernel
$(KSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet 'virtme-ng==1.42'
	touch $(KSTAMP)

test-kernel: $(KSTAMP)
	$(BIN)/python scripts/kernel_test.py

# Mutation testing of the core with mutmut (scripts/mutate.py; not part of `make test`):
# the core modules in under an hour on two cores, or a small fixed sample in under five
# minutes.  Each prints the score per module and every surviving mutant's diff.
MSTAMP := $(VENV)/.installed-mutate
$(MSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutate]'
	touch $(MSTAMP)

mutate: $(MSTAMP)
	$(BIN)/python scripts/mutate.py

mutate-quick: $(MSTAMP)
	$(BIN)/python scripts/mutate.py --quick --min-score 100

bench: $(STAMP)
	$(BIN)/python benchmarks/frames.py
	$(BIN)/python benchmarks/bus.py
	$(BIN)/python benchmarks/ftdi.py
	$(BIN)/python benchmarks/pal.py
	$(BIN)/python benchmarks/replay.py
	$(BIN)/python benchmarks/scapy_workflow.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/synth_memory.py

# Every register x every 16-bit value through all three representations (about an hour).
exhaustive: $(STAMP)
	$(BIN)/python -m pytest -q tests/exhaustive_registers.py

clean:
	rm -rf $(VENV) .cache build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
