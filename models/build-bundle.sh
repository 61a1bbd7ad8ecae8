#!/usr/bin/env bash
# Train, evaluate, export and verify one bundle: bash build-bundle.sh CONFIG RUN_DIR BUNDLE_DIR
# (paths relative to models/). Resumable: re-running continues an interrupted training.
set -euo pipefail
cd "$(dirname "$0")"
config=$1 run=$2 bundle=$3
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
py=/usr/bin/python3
test_dir=$($py -c "import json,sys; print(json.load(open(sys.argv[1]))['data']['test'][0])" "$config")
$py -m locus.train --config "$config" --out "$run"
$py -m locus.evaluate --run "$run" --data "$test_dir" --out "$run/metrics.json"
$py -m locus.export --run "$run" --config "$config" --out "$bundle" --metrics "$run/metrics.json"
bundle_abs=$(realpath -m "$bundle")
(cd .. && node bin/locus.mjs verify "$bundle_abs")
