#!/usr/bin/env bash
# The shipped default model: evaluates it on the hand-written pairs on 2 ranks, asserts the
# named must-have cases (tests/e2e/check_default_model.py) and its measured quality floor
# there (binary ROC-AUC 0.88 measured, floor 0.85), and transformers loads it as it is and
# agrees with our scores (1e-4).
# usage: default_model.sh MGEO_DIST WORK_DIR "MPIRUN..." PYTHON
set -euo pipefail
bin=$1 work=$2 mpirun=$3 python=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
model=$root/data/models/default
rm -rf "$work" && mkdir -p "$work"

$mpirun -np 2 "$bin" eval --input "$root/data/eval/handwritten.csv" --out-dir "$work/eval" --threads 1 --quiet
"$python" "$here/check_default_model.py" --eval-dir "$work/eval" --pairs "$root/data/eval/handwritten.csv" \
  --min-roc-auc 0.85 --must-cases assert
"$python" "$here/compare_scores.py" --reference "$work/eval/scores.csv" --pairs "$root/data/eval/handwritten.csv" \
  --model "$model" --skip-bad-row-checks
echo "default model: all checks passed"
