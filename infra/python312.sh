#!/bin/sh
# Prints the path of a Python 3.12 interpreter: the Lambda runtime's version, which `sam build`
# needs on PATH and `make test-312` runs the unit tests with. Tries $PYTHON312, then python3.12
# on PATH, then pyenv's newest 3.12.x. Fails with a message saying what to install.
set -u

is_312() {
  "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1
}

for candidate in "${PYTHON312:-}" python3.12; do
  if [ -n "$candidate" ] && is_312 "$candidate"; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done

# pyenv's versions, newest 3.12 first, whether or not pyenv itself is on PATH.
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for version in $(ls "$root/versions" 2>/dev/null | grep -E '^3\.12\.[0-9]+$' | sort -t. -k3,3nr); do
  candidate="$root/versions/$version/bin/python3.12"
  if is_312 "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

echo "Python 3.12 (the Lambda runtime's version) was not found. Install it (for example" \
  "\`pyenv install 3.12\`), or put python3.12 on PATH, or set PYTHON312 to its path." >&2
exit 1
