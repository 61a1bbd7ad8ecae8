#!/usr/bin/env bash
# The CT bundle end to end: 5-fold cross-validation of configs/medseg-ct.json (train, PyTorch
# and ONNX evaluation per fold), then the final model on all 50 slices, exported to medseg-ct/
# with the cross-validated figures as its metrics, and verified. Resumable.
# Needs runs/demo-cxr/full.pt (the init weights) and data-gen/synth-cxr/test (fixture images):
# both come from `bash build-bundle.sh configs/demo-cxr.json runs/demo-cxr demo-cxr`.
set -euo pipefail
cd "$(dirname "$0")"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
py=/usr/bin/python3
$py -m locus.cv --config configs/medseg-ct.json --out runs/medseg-cv
$py -m locus.train --config configs/medseg-ct.json --out runs/medseg-ct
$py -m locus.export --run runs/medseg-ct --config configs/medseg-ct.json --out medseg-ct \
  --metrics runs/medseg-cv/cv-metrics.json --fixtures-from data-gen/synth-cxr/test
bundle_abs=$(realpath -m medseg-ct)
(cd .. && node bin/locus.mjs verify "$bundle_abs")
