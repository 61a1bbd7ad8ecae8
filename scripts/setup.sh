#!/usr/bin/env bash
# Installs what Locus needs on a fresh Debian machine (run as root or with sudo available), and
# only what is missing: Debian's Python stack for the models (and its linter), Chromium for browser
# tests, and the npm packages (again only when package-lock.json changed since the last install).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh
packages=(python3-torch python3-onnx python3-numpy python3-scipy python3-pil python3-jsonschema
  python3-pytest pyflakes3 chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt_get update -qq
  apt_install "${missing[@]}" >/dev/null
fi
# npm ci takes minutes and empties node_modules first: skip it while the installed tree matches the lock file.
stamp=node_modules/.locus-package-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  npm ci --no-audit --no-fund
  echo "$wanted" > "$stamp"
fi
