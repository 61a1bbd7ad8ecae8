#!/usr/bin/env bash
# The CT bundle (model v2) end to end, resumable:
# 1. pretraining on the 1,600 pseudo-labelled slices (configs/ct-v2-pretrain.json);
# 2. the image-only reference in 5-fold cross-validation (configs/medseg-ct-v2-image-only.json);
# 3. Locus (with the location gate: runs/medseg-v2g-cv) in the same 5 folds
#    (configs/medseg-ct-v2.json; train, PyTorch and ONNX evaluation
#    per fold), with the reference beside it in the record;
# 4. the final model on all 50 MedSeg slices, exported to medseg-ct/ with the cross-validated
#    figures as its metrics, and verified.
# Fixture images are synthetic (data-gen/synth-cxr/test, made here if missing).
set -euo pipefail
cd "$(dirname "$0")"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
py=/usr/bin/python3
[ -f data-gen/synth-cxr/test/reports.csv ] || \
  $py -m locus.synth --out data-gen/synth-cxr/test --split test --n 500 --seed 2026
$py -m locus.train --config configs/ct-v2-pretrain.json --out runs/ct-v2-pretrain
$py -m locus.cv --config configs/medseg-ct-v2-image-only.json --out runs/medseg-v2-image-only-cv \
  --image-only
$py -m locus.cv --config configs/medseg-ct-v2.json --out runs/medseg-v2g-cv \
  --baseline runs/medseg-v2-image-only-cv
$py -m locus.train --config configs/medseg-ct-v2.json --out runs/medseg-ct-v2
$py -m locus.export --run runs/medseg-ct-v2 --config configs/medseg-ct-v2.json --out medseg-ct \
  --metrics runs/medseg-v2g-cv/cv-metrics.json --fixtures-from data-gen/synth-cxr/test
bundle_abs=$(realpath -m medseg-ct)
(cd .. && node bin/locus.mjs verify "$bundle_abs")
