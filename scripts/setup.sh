#!/usr/bin/env bash
# Installs what Locus needs on a fresh Debian machine (run as root or with sudo available):
# Debian's Python stack for the models (and its linter), Chromium for browser tests, and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(python3-torch python3-onnx python3-numpy python3-scipy python3-pil python3-jsonschema
  python3-pytest pyflakes3 chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
