#!/usr/bin/env bash
# launch/slurm/step.sh COMMAND [ARGS...]: the job step that score.sbatch and link.sbatch run,
# inside the allocation: builds the srun line (MPI plugin, CPUs and GPU binding, per-rank
# logs) and runs `mgeo-dist COMMAND ARGS...` on every task. The knobs, binding rules and
# outputs are described in score.sbatch.
[[ $# -ge 1 ]] || { echo "usage: step.sh score|link [ARGS...]" >&2; exit 2; }
MGEO_COMMAND=$1
shift
set -euo pipefail

# ---- knobs (environment variables; sbatch passes the submit shell's environment) ----
# The binary: the same path must exist on every node (shared file system). Its RUNPATH names
# the Python venv whose torch wheel provides libtorch; that venv must be at the same path on
# every node too, or set MGEO_VENV to one that is (its torch/lib and nvidia/*/lib go first
# on LD_LIBRARY_PATH).
MGEO_BIN=${MGEO_BIN:-${SLURM_SUBMIT_DIR:-$PWD}/build/bin/mgeo-dist}
MGEO_VENV=${MGEO_VENV:-}
# srun --mpi=<plugin>: "auto" uses pmix when `srun --mpi=list` offers it, else the site
# default (no --mpi option); "none" always uses the site default; anything else is passed.
MGEO_SRUN_MPI=${MGEO_SRUN_MPI:-auto}
MGEO_GPU_BIND=${MGEO_GPU_BIND:-}           # e.g. single:1 or closest; empty: mgeo-dist binds
MGEO_LOG_DIR=${MGEO_LOG_DIR:-logs/mgeo-$MGEO_COMMAND-${SLURM_JOB_ID:-local}}
MGEO_SRUN_EXTRA=${MGEO_SRUN_EXTRA:-}       # more srun options, split on spaces
MGEO_MODEL=${MGEO_MODEL:-}
MGEO_INPUT=${MGEO_INPUT:-}
MGEO_MASTER=${MGEO_MASTER:-}
MGEO_QUERIES=${MGEO_QUERIES:-}
MGEO_OUTPUT=${MGEO_OUTPUT:-}

die() { echo "mgeo-$MGEO_COMMAND.sbatch: $*" >&2; exit 2; }
[[ -n ${SLURM_JOB_ID:-} ]] || die "not inside a Slurm job: submit with sbatch (or run inside salloc)"
[[ -x $MGEO_BIN ]] || die "MGEO_BIN=$MGEO_BIN is not an executable (build first, or set MGEO_BIN)"

# ---- the mgeo-dist arguments: MGEO_MODEL/INPUT/MASTER/QUERIES/OUTPUT first, then the script's ----
args=()
[[ -z $MGEO_MODEL ]] || args+=(--model "$MGEO_MODEL")
[[ -z $MGEO_INPUT ]] || args+=(--input "$MGEO_INPUT")
[[ -z $MGEO_MASTER ]] || args+=(--master "$MGEO_MASTER")
[[ -z $MGEO_QUERIES ]] || args+=(--queries "$MGEO_QUERIES")
[[ -z $MGEO_OUTPUT ]] || args+=(--output "$MGEO_OUTPUT")
args+=("$@")
has_opt() { local a; for a in "${args[@]}"; do [[ $a == "$1" || $a == "$1="* ]] && return 0; done; return 1; }
output=$MGEO_OUTPUT metrics=
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --output) output=${args[i + 1]:-} ;;
    --output=*) output=${args[i]#--output=} ;;
    --metrics) metrics=${args[i + 1]:-} ;;
    --metrics=*) metrics=${args[i]#--metrics=} ;;
  esac
done
[[ -n $output ]] || die "no output: pass --output FILE (or set MGEO_OUTPUT); see the usage at the top"
# Intra-op threads: the task's CPUs (mgeo-dist's own default divides all the node's cores
# among its ranks, whatever Slurm allotted). An explicit --threads wins.
if ! has_opt --threads && [[ -n ${SLURM_CPUS_PER_TASK:-} ]]; then
  args+=(--threads "$SLURM_CPUS_PER_TASK")
fi

# ---- GPU nodes: one task per GPU ----
gpus_per_node=${SLURM_GPUS_PER_NODE:-${SLURM_GPUS_ON_NODE:-}}
gpus_per_node=${gpus_per_node##*:}          # "a100:4" -> "4"
tasks_per_node=${SLURM_NTASKS_PER_NODE:-}
tasks_per_node=${tasks_per_node%%(*}        # "4(x2)" -> "4"
if [[ -n $gpus_per_node && -n $tasks_per_node && $gpus_per_node != "$tasks_per_node" ]]; then
  echo "mgeo-$MGEO_COMMAND.sbatch: warning: $tasks_per_node tasks but $gpus_per_node GPUs a node; ranks will share or leave GPUs idle" >&2
fi

# ---- srun ----
# srun takes the task count and layout from the job (SLURM_NTASKS, SLURM_NTASKS_PER_NODE).
srun_args=(--kill-on-bad-exit=1 --output="$MGEO_LOG_DIR/rank-%t.log")
# srun (Slurm 22.05+) no longer inherits --cpus-per-task from sbatch: pass it again.
[[ -z ${SLURM_CPUS_PER_TASK:-} ]] || srun_args+=(--cpus-per-task="$SLURM_CPUS_PER_TASK")
case $MGEO_SRUN_MPI in
  auto) mpi_list=$(srun --mpi=list 2>&1 || true)
        [[ $mpi_list != *pmix* ]] || srun_args+=(--mpi=pmix) ;;
  none | "") ;;
  *) srun_args+=(--mpi="$MGEO_SRUN_MPI") ;;
esac
[[ -z $MGEO_GPU_BIND ]] || srun_args+=(--gpu-bind="$MGEO_GPU_BIND")
# shellcheck disable=SC2206  # split on purpose
[[ -z $MGEO_SRUN_EXTRA ]] || srun_args+=($MGEO_SRUN_EXTRA)

if [[ -n $MGEO_VENV ]]; then
  for d in "$MGEO_VENV"/lib/python3*/site-packages/{torch/lib,nvidia/*/lib}; do
    [[ ! -d $d ]] || LD_LIBRARY_PATH=$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  done
  export LD_LIBRARY_PATH
fi

mkdir -p "$MGEO_LOG_DIR"
echo "job $SLURM_JOB_ID: ${SLURM_NTASKS:-?} ranks on ${SLURM_JOB_NUM_NODES:-?} nodes (${SLURM_JOB_NODELIST:-?})"
echo "srun ${srun_args[*]} $MGEO_BIN $MGEO_COMMAND ${args[*]}"
echo "rank logs: $MGEO_LOG_DIR/rank-<r>.log"
rc=0
srun "${srun_args[@]}" "$MGEO_BIN" "$MGEO_COMMAND" "${args[@]}" || rc=$?
if ((rc != 0)); then
  echo "mgeo-$MGEO_COMMAND.sbatch: failed (exit $rc); see $MGEO_LOG_DIR/rank-*.log" >&2
  exit "$rc"
fi
echo "done: $output (metrics: ${metrics:-$output.metrics.json})"
