#!/usr/bin/env bash
# Shared by scripts/run and scripts/test (sourced, not run): messages and the project's virtualenv.

say() { printf '[%s] %s\n' "${SCRIPT_NAME:-scripts}" "$*" >&2; }
die() { printf '[%s] error: %s\n' "${SCRIPT_NAME:-scripts}" "$*" >&2; exit 1; }

# Create .venv if needed and `pip install -e ".[EXTRAS]"` when pyproject.toml (or the Python, or the
# extras) changed since the last successful install, which is recorded in .venv/.install-stamp.
ensure_venv() {
  local extras=$1 py=${PYTHON:-python3} base want have target=.
  local vcheck='import sys; sys.exit(sys.version_info < (3, 11))'
  if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c "$vcheck" 2>/dev/null; then
    command -v "$py" >/dev/null || die "$py not found; install Python >= 3.11 (or set PYTHON=/path/to/python3.11)"
    "$py" -c "$vcheck" ||
      die "$py is Python $("$py" -c 'import platform; print(platform.python_version())'); need >= 3.11 (set PYTHON=...)"
    [[ -e .venv ]] && { say "replacing .venv (no usable Python >= 3.11 in it)"; rm -rf .venv; }
    say "creating .venv with $("$py" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
    "$py" -m venv .venv
  fi
  [[ -n $extras ]] && target=".[$extras]"
  base="$(sha256sum pyproject.toml | cut -d' ' -f1) $(.venv/bin/python -VV | tr -s ' ' _)"
  want="$base extras=$extras"
  have=$(cat .venv/.install-stamp 2>/dev/null || true)
  # An install with the dev extras also satisfies a plain one.
  if [[ $have == "$want" || ( -z $extras && $have == "$base extras=dev" ) ]]; then return 0; fi
  say "installing $target into .venv (pyproject.toml changed or first run; this can take a few minutes)"
  rm -f .venv/.install-stamp
  # Quiet, but errors and warnings still show (bar this machine's notes on absent local index folders).
  PIP_NO_INPUT=1 .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target" 2>&1 |
    { grep -v "^WARNING: Location 'file:.*' is ignored: it is neither a file nor a directory" || true; } ||
    die "pip install -e '$target' failed (see above)"
  printf '%s\n' "$want" >.venv/.install-stamp
}

