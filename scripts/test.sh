#!/usr/bin/env bash
# Sets up and runs every test: TypeScript checks and units (pipeline, runtime engine on onnxruntime-node
# and WASM, the locus CLI), the shipped bundle's verification against onnxruntime, the browser tests
# (the real worker in Chromium on WebGPU and WASM, and the studio: Playwright builds dist/ with
# `npm run build` and serves it under a subpath before the run), and the Python lint (pyflakes) and suite (which
# includes a CI-sized train -> export -> verify run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
npm run typecheck
npm run lint
npm run verify:bundle -- models/demo-cxr
npm run verify:bundle -- models/medseg-ct
npm run test:unit
npm run test:e2e
/usr/bin/python3 -m pyflakes models/locus models/tests tests/pipeline/data
(cd models && /usr/bin/python3 -m pytest tests -q -rs)
