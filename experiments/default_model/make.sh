#!/usr/bin/env bash
# Rebuilds the shipped default model data/models/default from nothing but the repository:
#   stage 1: 3M synthetic pairs (seed 101), new weights, configs/train-default.yaml;
#   stage 2: 4.5M fresh pairs (seed 111), from the stage-1 weights, configs/train-default-stage2.yaml;
#   stage 3: 3.5M fresh pairs (seed 121), from the stage-2 weights, configs/train-default-stage3.yaml;
#   stage 4: 3.5M fresh pairs (seed 131), from the stage-3 weights, configs/train-default-stage4.yaml;
# then evaluation on held-out synthetic pairs (seed 202, another generator seed) and on the
# hand-written pairs data/eval/handwritten.csv.
# usage: experiments/default_model/make.sh   (from anywhere, after launch/build.sh; a GPU: tens of minutes)
# Env: MGEO_BIN (default build/bin/mgeo-dist), MGEO_DEVICE (auto|cpu|cuda; default auto),
#      MGEO_RANKS (default 1), MGEO_MPIRUN, MGEO_STAGES (default "1 2 3 4"; "4" continues from an
#      existing out/models/default-stage3), MGEO_STEPS<n> (override stage n's train.max_steps),
#      MGEO_PAIRS<n> (stage n's training pairs).
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
$bin synth --pairs 20000 --seed 202 --output out/heldout-synth.csv

train_stage() {  # stage pairs seed config output steps
  local stage=$1 pairs=$2 seed=$3 config=$4 output=$5 steps=$6
  local data; data=$(sed -n 's/^  train: *//p' "$config")
  $bin synth --pairs "$pairs" --seed "$seed" --output "$data"
  rm -rf "$output"
  local cmd=("${mpirun[@]}" -np "$ranks" "$bin" train --config "$config" --device "$device")
  [[ -z $steps ]] || cmd+=(--set "train.max_steps=$steps")
  echo "+ ${cmd[*]}"
  "${cmd[@]}"
  { echo "# stage $stage: $bin synth --pairs $pairs --seed $seed --output $data"; echo "${cmd[*]}"; } >>out/train_command.txt
}
stages=${MGEO_STAGES:-1 2 3 4}
[[ $stages == *1* ]] && rm -f out/train_command.txt
[[ $stages != *1* ]] || train_stage 1 "${MGEO_PAIRS1:-3000000}" 101 configs/train-default.yaml out/models/default "${MGEO_STEPS1:-}"
[[ $stages != *2* ]] || train_stage 2 "${MGEO_PAIRS2:-4500000}" 111 configs/train-default-stage2.yaml out/models/default-stage2 "${MGEO_STEPS2:-}"
[[ $stages != *3* ]] || train_stage 3 "${MGEO_PAIRS3:-3500000}" 121 configs/train-default-stage3.yaml out/models/default-stage3 "${MGEO_STEPS3:-}"
[[ $stages != *4* ]] || train_stage 4 "${MGEO_PAIRS4:-3500000}" 131 configs/train-default-stage4.yaml out/models/default-stage4 "${MGEO_STEPS4:-}"

final=out/models/default-stage${stages: -1}; [[ ${stages: -1} != 1 ]] || final=out/models/default
mkdir -p "$dest"
cp "$final"/{config.json,vocab.txt,model.safetensors,train_metrics.json} "$dest/"
: >"$dest/train_log.jsonl"; : >"$dest/training.yaml"
for o in out/models/default out/models/default-stage{2,3,4}; do
  [[ -d $o ]] || continue
  cat "$o/train_log.jsonl" >>"$dest/train_log.jsonl"
  cat "$(ls -d "$o"/checkpoint-* | sort -t- -k2 -n | tail -1)/training.yaml" >>"$dest/training.yaml"
done
sed "s|$root/||g; s|\.devpack/bin/|build/bin/|g" out/train_command.txt >"$dest/train_command.txt"
for set in heldout-synth handwritten; do
  input=out/heldout-synth.csv; [[ $set == handwritten ]] && input=data/eval/handwritten.csv
  "$bin" eval --model "$dest" --input "$input" --out-dir "out/eval-$set" --device "$device"
  cp "out/eval-$set/eval.json" "$dest/eval-$set.json"
  cp "out/eval-$set/eval.png" "$dest/eval-$set.png"
done
echo "default model: $dest"
