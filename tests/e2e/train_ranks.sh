#!/usr/bin/env bash
# Data-parallel training end to end: 2 ranks with per-rank batch b reach the weights of
# 1 rank with batch 2b (dropout off, 1e-5); a run stopped and resumed reaches those of an
# uninterrupted one; transformers loads the result and agrees with `score` (1e-4).
# usage: train_ranks.sh MGEO_DIST WORK_DIR "MPIRUN..." PYTHON
set -euo pipefail
bin=$1 work=$2 mpirun=$3 python=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"

"$bin" synth --pairs 300 --seed 5 --output "$work/train.csv"
cat > "$work/tiny.yaml" <<YAML
model:
  vocab: $root/data/models/tiny-random/vocab.txt
  hidden_size: 32
  layers: 2
  heads: 2
  intermediate_size: 64
  max_positions: 128
  dropout: 0.0
data:
  train: $work/train.csv
  max_length: 48
train:
  output: $work/unused
  batch_size: 16
  max_steps: 8
  lr: 0.002
  warmup_steps: 2
  log_every: 4
  check_sync_every: 1
YAML
train=(train --config "$work/tiny.yaml" --threads 1 --quiet)
$mpirun -np 1 "$bin" "${train[@]}" --output "$work/np1"
$mpirun -np 2 "$bin" "${train[@]}" --output "$work/np2"
$mpirun -np 2 "$bin" "${train[@]}" --output "$work/resumed" --stop-after 5
test -d "$work/resumed/checkpoint-5" && ! test -e "$work/resumed/model.safetensors"
$mpirun -np 2 "$bin" "${train[@]}" --output "$work/resumed" --resume
test -z "$(find "$work" -name '*.tmp.*')" || { echo "temporary files left behind"; exit 1; }

"$bin" score --model "$work/np2" --input "$work/train.csv" --output "$work/scores.csv" --threads 1 --quiet
"$python" "$here/compare_weights.py" "$work/np1/model.safetensors" "$work/np2/model.safetensors" --atol 1e-5
"$python" "$here/compare_weights.py" "$work/np2/model.safetensors" "$work/resumed/model.safetensors" --atol 1e-6
"$python" "$here/compare_weights.py" "$work/np1/model.safetensors" "$work/np1/checkpoint-8/model.safetensors" --atol 0
"$python" "$here/compare_weights.py" "$work/np1/checkpoint-8/model.safetensors" "$work/np1/model.safetensors" \
  --differs-from "$work/resumed/checkpoint-5/model.safetensors"
"$python" "$here/compare_scores.py" --reference "$work/scores.csv" --pairs "$work/train.csv" --model "$work/np2" \
  --skip-bad-row-checks
echo "train e2e: all checks passed"
