#!/usr/bin/env bash
# Rebuilds the shipped default model data/models/default from nothing but the repository:
# synthetic training pairs (seed 101), training from new weights with
# configs/train-default.yaml, then evaluation on held-out synthetic pairs (seed 202, another
# generator seed) and on the hand-written pairs data/eval/handwritten.csv.
# usage: experiments/default_model/make.sh   (from anywhere, after launch/build.sh)
# Env: MGEO_BIN (default build/bin/mgeo-dist), MGEO_DEVICE (auto|cpu|cuda; default auto),
#      MGEO_RANKS (default 1), MGEO_STEPS (override train.max_steps), MGEO_MPIRUN,
#      MGEO_TRAIN_PAIRS (default 3000000).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bin=${MGEO_BIN:-build/bin/mgeo-dist}
device=${MGEO_DEVICE:-auto}
ranks=${MGEO_RANKS:-1}
if [[ -n ${MGEO_MPIRUN:-} ]]; then read -r -a mpirun <<<"$MGEO_MPIRUN"; else
  mpirun=(mpirun --oversubscribe); [[ $(id -u) -ne 0 ]] || mpirun+=(--allow-run-as-root); fi
dest=data/models/default
mkdir -p out
$bin synth --pairs "${MGEO_TRAIN_PAIRS:-3000000}" --seed 101 --output out/train-synth.csv
$bin synth --pairs 20000 --seed 202 --output out/heldout-synth.csv
rm -rf out/models/default
train=("${mpirun[@]}" -np "$ranks" "$bin" train --config configs/train-default.yaml --device "$device")
[[ -z ${MGEO_STEPS:-} ]] || train+=(--set "train.max_steps=$MGEO_STEPS")
echo "+ ${train[*]}"
"${train[@]}"
mkdir -p "$dest"
cp out/models/default/{config.json,vocab.txt,model.safetensors,train_metrics.json,train_log.jsonl} "$dest/"
cp "$(ls -d out/models/default/checkpoint-* | sort -t- -k2 -n | tail -1)/training.yaml" "$dest/training.yaml"
echo "${train[*]}" | sed "s|$root/||g" >"$dest/train_command.txt"
for set in heldout-synth handwritten; do
  input=out/heldout-synth.csv; [[ $set == handwritten ]] && input=data/eval/handwritten.csv
  "$bin" eval --model "$dest" --input "$input" --out-dir "out/eval-$set" --device "$device"
  cp "out/eval-$set/eval.json" "$dest/eval-$set.json"
  cp "out/eval-$set/eval.png" "$dest/eval-$set.png"
done
echo "default model: $dest"
