#!/usr/bin/env bash
# Create .venv with Python 3.11 and install motcua (with the dev tools when asked), only when needed;
# then compile the translations (.po -> .mo) with Babel, so no system gettext is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null || python=python3
stamp=".venv/.installed${extras:+-$extras}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
  touch "$stamp"
fi
.venv/bin/pybabel --quiet compile --domain django --directory motcua/locale --statistics 2>/dev/null \
  || .venv/bin/pybabel compile --domain django --directory motcua/locale
