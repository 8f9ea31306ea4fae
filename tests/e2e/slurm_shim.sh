#!/usr/bin/env bash
# End-to-end without Slurm: launch/slurm/score.sbatch and link.sbatch run as plain scripts
# with SLURM_* variables set as a 2-task job would have them and a stand-in `srun` first on
# PATH, which records its arguments, answers `srun --mpi=list`, and runs the step as
# `mpirun -np $SLURM_NTASKS`, one log per rank from srun's --output pattern (%t, %j).
# Checks the srun line the scripts build (--mpi=pmix when offered, none when not asked,
# --cpus-per-task, --gpu-bind, per-rank logs, --threads from SLURM_CPUS_PER_TASK unless given)
# and that the outputs equal those of one-rank runs byte for byte.
# usage: slurm_shim.sh MGEO_DIST FIXTURE_DIR WORK_DIR "MPIRUN..."
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") fixtures=$(cd "$2" && pwd) work=$3 mpirun=$4
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
model=$fixtures/models/hf-safetensors
rm -rf "$work" && mkdir -p "$work/shim"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >shim/srun <<'EOF'
#!/usr/bin/env bash
# srun stand-in (see slurm_shim.sh).
set -euo pipefail
echo "srun $*" >>"$SHIM_LOG"
if [[ $* == --mpi=list ]]; then
  [[ ${SHIM_PMIX:-1} == 0 ]] && printf 'MPI plugin types are...\n\tnone\n\tpmi2\n' \
    || printf 'MPI plugin types are...\n\tnone\n\tpmi2\n\tpmix\nspecific pmix plugin versions available: pmix_v4\n'
  exit 0
fi
out=
while [[ $# -gt 0 && $1 == -* ]]; do
  case $1 in
    --output=*) out=${1#--output=} ;;
    --kill-on-bad-exit=* | --cpus-per-task=* | --mpi=* | --gpu-bind=*) ;;
    *) echo "srun stand-in: unexpected option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $out ]] || { echo "srun stand-in: no --output" >&2; exit 2; }
# shellcheck disable=SC2086,SC2016
exec $SHIM_MPIRUN -np "$SLURM_NTASKS" bash -c '
  export SLURM_PROCID=$OMPI_COMM_WORLD_RANK SLURM_LOCALID=$OMPI_COMM_WORLD_LOCAL_RANK
  log=${0//%j/$SLURM_JOB_ID}; log=${log//%t/$SLURM_PROCID}
  exec "$@" >"$log" 2>&1' "$out" "$@"
EOF
chmod +x shim/srun
export PATH=$work/shim:$PATH SHIM_LOG=$work/srun.log SHIM_MPIRUN=$mpirun
export SLURM_JOB_ID=4242 SLURM_NTASKS=2 SLURM_NTASKS_PER_NODE=2 SLURM_JOB_NUM_NODES=1 \
  SLURM_JOB_NODELIST=localhost SLURM_CPUS_PER_TASK=1 SLURM_SUBMIT_DIR=$work MGEO_BIN=$bin

"$bin" synth --pairs 300 --seed 31 --output pairs.csv
opts=(--batch-size 16 --sort-window 64 --chunk-rows 64 --quiet)
"$bin" score --model "$model" --input pairs.csv --threads 1 "${opts[@]}" --output one.csv

# 1. Arguments after the script; pmix offered; threads from SLURM_CPUS_PER_TASK.
: >srun.log
bash "$root/launch/slurm/score.sbatch" --model "$model" --input pairs.csv --output shim.csv "${opts[@]}" >job1.out
cat job1.out srun.log
cmp one.csv shim.csv
grep -q '"world": 2' shim.csv.metrics.json || fail "metrics do not record 2 ranks"
step=$(grep -v -- '--mpi=list' srun.log)
for want in --mpi=pmix --cpus-per-task=1 --kill-on-bad-exit=1 "--output=logs/mgeo-score-4242/rank-%t.log" \
            "$bin score" "--threads 1"; do
  [[ $step == *"$want"* ]] || fail "the srun line lacks $want: $step"
done
for r in 0 1; do [[ -f logs/mgeo-score-4242/rank-$r.log ]] || fail "no log of rank $r"; done

# 2. Files from MGEO_*; no pmix on offer and none asked for; --gpu-bind; an explicit
#    --threads wins over SLURM_CPUS_PER_TASK=2.
: >srun.log
SHIM_PMIX=0 SLURM_CPUS_PER_TASK=2 MGEO_GPU_BIND=single:1 MGEO_MODEL=$model MGEO_INPUT=pairs.csv \
  MGEO_OUTPUT=shim2.csv MGEO_LOG_DIR=logs2 bash "$root/launch/slurm/score.sbatch" --threads 1 "${opts[@]}" >job2.out
cmp one.csv shim2.csv
step=$(grep -v -- '--mpi=list' srun.log)
[[ $step != *--mpi=* ]] || fail "--mpi given though pmix was not offered: $step"
[[ $step == *--gpu-bind=single:1* && $step == *--cpus-per-task=2* ]] || fail "bad srun line: $step"
[[ $step != *"--threads 2"* ]] || fail "--threads added though given: $step"
MGEO_SRUN_MPI=none bash "$root/launch/slurm/score.sbatch" --model "$model" --input pairs.csv \
  --output shim3.csv "${opts[@]}" >/dev/null
[[ $(tail -1 srun.log) != *--mpi=* ]] || fail "MGEO_SRUN_MPI=none still passed --mpi"
cmp one.csv shim3.csv

# 3. Refusals: no output named; outside a job.
if bash "$root/launch/slurm/score.sbatch" --model "$model" --input pairs.csv 2>err.txt; then fail "ran without --output"; fi
grep -q "no output" err.txt || fail "no clear error without --output: $(cat err.txt)"
if env -u SLURM_JOB_ID bash "$root/launch/slurm/score.sbatch" --output x.csv 2>err.txt; then fail "ran outside a job"; fi
grep -q "not inside a Slurm job" err.txt || fail "no clear error outside a job: $(cat err.txt)"

# 4. link.sbatch: the same links as one rank.
"$bin" synth --link --master 300 --queries 60 --seed 41 --output-dir set 2>/dev/null
lopts=(--master set/master.csv --queries set/queries.csv --batch-size 16 --quiet)
"$bin" link "${lopts[@]}" --threads 1 --output link-one.csv
: >srun.log
bash "$root/launch/slurm/link.sbatch" "${lopts[@]}" --output link-shim.csv >job4.out
cmp link-one.csv link-shim.csv
grep -q -- "--output=logs/mgeo-link-4242/rank-%t.log .*/mgeo-dist link " srun.log || fail "link srun line: $(cat srun.log)"
echo "slurm shim: score.sbatch and link.sbatch on 2 tasks == 1 rank"
