#!/usr/bin/env bash
# 1 rank vs 2 ranks data-parallel training of the same model with the same global batch:
# time per epoch, steps to a given loss, final F1 on a held-out set. Writes raw results to
# $OUT (default experiments/out/ddp_train) and prints the table report.py makes from them.
# usage: experiments/ddp_train/run.sh [PAIRS] [EPOCHS]   (from the repository root, after a build)
# Env: MGEO_BIN, MGEO_DEVICE (default cpu), MGEO_NPS (rank counts, default "1 2"), MGEO_MPIRUN, MGEO_PY.
# On a GPU each rank needs a GPU of its own (NCCL refuses two ranks on one device).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${MGEO_BIN:-$root/build/bin/mgeo-dist}
device=${MGEO_DEVICE:-cpu}
out=${OUT:-$root/experiments/out/ddp_train}
pairs=${1:-20000} epochs=${2:-1}
python=${MGEO_PY:-${MGEO_VENV:-$HOME/.mgeo-dist-venv}/bin/python}
if [[ -n ${MGEO_MPIRUN:-} ]]; then read -r -a mpirun <<<"$MGEO_MPIRUN"; else
  mpirun=(mpirun --oversubscribe); [[ $(id -u) -ne 0 ]] || mpirun+=(--allow-run-as-root); fi
cores=$(nproc)
mkdir -p "$out"
"$bin" synth --pairs "$pairs" --seed 303 --output "$out/train.csv"
"$bin" synth --pairs 5000 --seed 404 --output "$out/heldout.csv"
for np in ${MGEO_NPS:-1 2}; do
  threads=$((cores / np))
  "${mpirun[@]}" -np $np "$bin" train --config "$root/configs/train-ddp-compare.yaml" --device "$device" --train "$out/train.csv" \
    --output "$out/np$np" --epochs "$epochs" --set train.log_every=20 --set train.save_every=0 \
    --set train.warmup_steps=100 --threads $threads 2> "$out/np$np.log"
  "$bin" eval --model "$out/np$np" --input "$out/heldout.csv" --out-dir "$out/np$np/eval" --threads "$cores" --device "$device" --quiet
done
"$python" "$root/experiments/ddp_train/report.py" "$out" --pairs "$pairs" --cores "$cores" --target-loss "${TARGET_LOSS:-1.0}"
