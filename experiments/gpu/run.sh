#!/usr/bin/env bash
# Runs the GPU measurements in as few commands as possible. Run from the repository root on the GPU
# machine, with .devpack carried (bash launch/device-pack.sh here first):
#   bash experiments/gpu/run.sh [STAGE...]     stages: env tests default-model default-model-continue ddp-gpu bench profile (default: env tests default-model)
# Logs and results go to $OUT (the device tool's folder) or out/gpu. Each stage logs to its own
# file and a failed stage does not stop the next.
# Env: MGEO_TRAIN_BUDGET_S (seconds of training for default-model, default 330); MGEO_PROFILE_PAIRS
# and MGEO_PROFILE_BATCH (profile: pairs per precision, default 20000; batch size, default 256).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out=${OUT:-$root/out/gpu}
mkdir -p "$out" out
source launch/device-env.sh || exit 1
# The pack was built in /work/main: its compiled-in paths (default model, test fixtures) point there.
[[ -e /work/main ]] || { mkdir -p /work && ln -s "$root" /work/main; }
stages=("$@"); [[ ${#stages[@]} -gt 0 ]] || stages=(env tests default-model)

stage_env() {
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  python3 -c 'import torch, transformers; print("torch", torch.__version__, "cuda", torch.version.cuda, "transformers", transformers.__version__)'
  mpirun --version | head -1
  nproc; date -u +%FT%TZ
  "$MGEO_BIN" --help | head -2
}

stage_tests() {
  python3 tests/reference/make_model_fixtures.py --out /work/main/build/fixtures/models || return 1
  local rc=0
  for t in "$MGEO_TESTBIN"/*_tests; do "$t" --gtest_brief=1 || rc=1; done
  return $rc
}

# Probe the training rate on a small set, then train the default model for a step count that fits
# MGEO_TRAIN_BUDGET_S (rounded down to 500 steps), and evaluate it.
stage_default-model() {
  local budget=${MGEO_TRAIN_BUDGET_S:-330}
  "$MGEO_BIN" synth --pairs 40000 --seed 7 --output out/probe.csv || return 1
  rm -rf out/probe
  $MGEO_MPIRUN -np 1 "$MGEO_BIN" train --config configs/train-default.yaml --device cuda \
    --set data.train=out/probe.csv --set train.output=out/probe --set train.max_steps=300 \
    --set train.warmup_steps=10 --set train.save_every=0 --set train.log_every=100 || return 1
  local rate steps
  rate=$(tail -1 out/probe/train_log.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["pairs_per_s"])')
  steps=$(python3 -c "print(max(1000, int($budget * $rate / 256 / 500) * 500))")
  echo "probe: $rate pairs/s; training $steps steps"
  MGEO_BIN=$MGEO_BIN MGEO_DEVICE=cuda MGEO_STEPS=$steps bash experiments/default_model/make.sh || return 1
  tar -C data/models -cf - default | split -b 15M - "$out/default-model.tar.part-"
}

# A later stage N (MGEO_STAGE, default 3) of the default model, from the weights of stage N-1 in
# data/models/default (carried), whose logs and commands it keeps.
stage_default-model-continue() {
  local n=${MGEO_STAGE:-3} prev
  prev=out/models/default-stage$((n - 1)); [[ $n -gt 2 ]] || prev=out/models/default
  mkdir -p "$prev/checkpoint-0"
  cp data/models/default/{config.json,vocab.txt,model.safetensors,train_log.jsonl} "$prev/"
  cp data/models/default/training.yaml "$prev/checkpoint-0/"
  cp data/models/default/train_command.txt out/train_command.txt
  MGEO_BIN=$MGEO_BIN MGEO_DEVICE=cuda MGEO_STAGES=$n bash experiments/default_model/make.sh || return 1
  tar -C data/models -cf - default | split -b 15M - "$out/default-model.tar.part-"
}

# The 1-rank row of the training comparison on the GPU (a second rank needs a second GPU).
stage_ddp-gpu() {
  OUT=out/ddp-gpu MGEO_DEVICE=cuda MGEO_NPS=1 MGEO_PY=python3 bash experiments/ddp_train/run.sh 100000 1 || return 1
  tar -C out -czf "$out/ddp-gpu.tgz" --exclude='*.csv' ddp-gpu
}

# Where the forward loop's time goes per batch (host staging, launch, device, idle gaps) for the
# BERT-base-shaped model in fp32/fp16/bf16, plus a Kineto run per precision (kernels per batch,
# traces): experiments/gpu/profile_forward.py. ~2 min on an H100 at 20k pairs.
stage_profile() {
  python3 experiments/gpu/profile_forward.py --device cuda --model base --pairs "${MGEO_PROFILE_PAIRS:-20000}" \
    --batch-size "${MGEO_PROFILE_BATCH:-256}" --kernels --out "$out/profile"
}

stage_bench() {
  python3 experiments/bench/sweep.py --profile gpu --pairs "${MGEO_BENCH_PAIRS:-100000}" --out "$out/gpu-bench.json"
}

for s in "${stages[@]}"; do
  echo "=== stage $s"
  t0=$(date +%s)
  "stage_$s" > >(tee "$out/$s.log") 2>&1
  echo "=== stage $s: rc $? in $(( $(date +%s) - t0 )) s"
done
