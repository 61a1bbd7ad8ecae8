#!/usr/bin/env bash
# Sets up and runs every test: TypeScript checks and units (pipeline, runtime engine on onnxruntime-node
# and WASM, the locus CLI with the bad-input corpus, the setup scripts), the shipped bundle's
# verification against onnxruntime, the browser tests (the real worker in Chromium on WebGPU and
# WASM; the studio on WebGPU, and on WASM the bad-input corpus, worker crashes, the 500-re-run
# soak, the workbench under a strict CSP with its CLI parity, and the workbench on the 500-case
# split: Playwright builds dist/ with `npm run build` and serves it under a subpath before the run),
# the interactive latency figures, and the Python lint (pyflakes) and suite (which includes a
# CI-sized train -> export -> verify run).
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
# Input-to-paint of a prompt change in the studio just built (dist/), part by part. It prints the
# figures (target: bundle-independent parts <= 50 ms median on an idle 2-core machine) and fails
# only if the path breaks: speed is a benchmark's figure, never a timed test (a loaded CI machine
# would make it flaky). `--max-ms 50` turns the target into an exit code for a quiet machine.
npx tsx scripts/latency.ts
/usr/bin/python3 -m pyflakes models/locus models/tests tests/pipeline/data tests/fixtures
(cd models && /usr/bin/python3 -m pytest tests -q -rs)
