#!/usr/bin/env bash
# Sets up (only what is missing) and serves the studio on the shipped demo bundle at
# http://127.0.0.1:5173; opens a browser only where there is a display to show it on.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
open=()
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname -s)" = Darwin ]; then
  open=(--open)
else
  echo "studio: no display here; open http://127.0.0.1:5173 in a browser (through an SSH tunnel from another machine)"
fi
exec npx vite "${open[@]}"
