#!/usr/bin/env bash
# Sets up and opens the studio on the shipped demo bundle (http://127.0.0.1:5173).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npx vite --open
