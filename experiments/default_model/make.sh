#!/usr/bin/env bash
# Rebuilds the shipped default model data/models/default from nothing but the repository:
# synthetic training pairs (seed 101), 2-rank training with configs/train-default.yaml,
# a second stage on fresh pairs (seed 111) with configs/train-default-stage2.yaml, then evaluation on held-out synthetic pairs (seed 202) and on data/eval/handwritten.csv.
# usage: experiments/default_model/make.sh   (from anywhere, after launch/build.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bin=build/bin/mgeo-dist
mpirun=(mpirun --oversubscribe); [[ $(id -u) -ne 0 ]] || mpirun+=(--allow-run-as-root)
dest=data/models/default
mkdir -p out
$bin synth --pairs 200000 --seed 101 --output out/train-synth.csv
$bin synth --pairs 400000 --seed 111 --output out/train-synth-2.csv
$bin synth --pairs 20000 --seed 202 --output out/heldout-synth.csv
rm -rf out/models/default out/models/default-stage2
"${mpirun[@]}" -np 2 $bin train --config configs/train-default.yaml --threads 1
"${mpirun[@]}" -np 2 $bin train --config configs/train-default-stage2.yaml --threads 1
mkdir -p "$dest"
cp out/models/default-stage2/{config.json,vocab.txt,model.safetensors,train_metrics.json} "$dest/"
cat out/models/default/train_log.jsonl out/models/default-stage2/train_log.jsonl > "$dest/train_log.jsonl"
cat configs/train-default.yaml configs/train-default-stage2.yaml > "$dest/training.yaml"
for set in heldout-synth handwritten; do
  input=out/heldout-synth.csv; [[ $set == handwritten ]] && input=data/eval/handwritten.csv
  "${mpirun[@]}" -np 2 $bin eval --model "$dest" --input "$input" --out-dir "out/eval-$set" --threads 1
  cp "out/eval-$set/eval.json" "$dest/eval-$set.json"
  cp "out/eval-$set/eval.png" "$dest/eval-$set.png"
done
echo "default model: $dest"
