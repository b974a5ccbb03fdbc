# Two commands: `make run` and `make test` do their own set-up.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
# Listen on this machine only unless told otherwise (`make run HOST=0.0.0.0`).
HOST ?= 127.0.0.1
# Mailed links and the bank's return address follow the port, unless set explicitly.
PORTAIL_PUBLIC_URL ?= http://localhost:$(PORT)
export PORTAIL_PUBLIC_URL

.PHONY: run test bench setup db clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

db: setup
	$(PY) -m db.bootstrap

run: db
	$(VENV)/bin/streamlit run server.py --server.port $(PORT) --server.address $(HOST)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) -m bench.run $(BENCH)

clean:
	rm -rf $(VENV) var
