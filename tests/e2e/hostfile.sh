#!/usr/bin/env bash
# End-to-end: `score` on 2 "nodes" through an mpirun hostfile, both nodes being this machine,
# must write the same bytes as a one-rank run.
#
# Open MPI 4 maps every name of the local host (localhost, 127.0.0.1, `hostname`) to one node:
# "localhost slots=1" + "127.0.0.1 slots=1" is refused ("multiple definitions of the slot
# count"), and "localhost" twice is one node with 2 slots. So the hostfile names two hosts
# that are not local, node-a and node-b, and an ssh stand-in (plm_rsh_agent) starts the
# Open MPI daemon of each "here". Two daemons, two nodes in the map, local rank 0 on each, and
# the ranks talk over TCP as on a real cluster (btl tcp,self). Each stand-in node gets its own
# TMPDIR: two daemons of one job sharing /tmp/ompi.<host>.<uid> race to create the session
# directory ("File exists") and collide in PMIx's shared-memory store.
# --sharding dynamic needs `--mca osc pt2pt` here: Open MPI 4.1's default one-sided component
# (osc rdma) refuses the work queue's window when ranks on two nodes have only TCP between
# them (MPI_ERR_WIN at src/dist/work_queue.cpp:17); with UCX (InfiniBand) osc ucx serves it.
# usage: hostfile.sh MGEO_DIST FIXTURE_DIR WORK_DIR "MPIRUN..." PYTHON
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") fixtures=$(cd "$2" && pwd) work=$3 mpirun=$4 python=$5
model=$fixtures/models/hf-safetensors
rm -rf "$work" && mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >fake-ssh <<'EOF'
#!/bin/sh
# ssh stand-in: skip ssh's options, run the command on this machine with the host's own TMPDIR.
while [ $# -gt 0 ]; do
  case $1 in -o|-p|-l|-i) shift 2 ;; -*) shift ;; *) break ;; esac
done
TMPDIR=$(dirname "$0")/tmp-$1; export TMPDIR; mkdir -p "$TMPDIR"
shift
exec /bin/sh -c "$*"
EOF
chmod +x fake-ssh
printf 'node-a slots=1\nnode-b slots=1\n' >hosts
# shellcheck disable=SC2206  # the mpirun line is split on purpose
run=($mpirun --hostfile hosts -np 2 --map-by ppr:1:node --bind-to none -x PATH --mca plm_rsh_agent "$work/fake-ssh"
     --mca btl "tcp,self")

# Two nodes, one rank each, each with local rank 0 of 1.
# shellcheck disable=SC2016  # expanded by each rank's shell
"${run[@]}" --display-map sh -c 'echo "rank=$OMPI_COMM_WORLD_RANK local=$OMPI_COMM_WORLD_LOCAL_RANK/$OMPI_COMM_WORLD_LOCAL_SIZE"' \
  >probe.txt 2>&1 || { cat probe.txt; fail "mpirun with the hostfile failed"; }
cat probe.txt
for node in node-a node-b; do
  grep -q "Data for node: $node.*Num procs: 1" probe.txt || fail "the map does not put one rank on $node"
done
for r in 0 1; do
  grep -q "rank=$r local=0/1" probe.txt || fail "rank $r does not see local rank 0 of 1"
done

"$bin" synth --pairs 400 --seed 23 --output pairs.csv
common=(score --model "$model" --input pairs.csv --batch-size 16 --sort-window 64 --chunk-rows 64 --threads 1 --quiet)
"$bin" "${common[@]}" --output one.csv
"$bin" "${common[@]}" --output one.h5
"${run[@]}" "$bin" "${common[@]}" --output two.csv
"${run[@]}" --mca osc pt2pt "$bin" "${common[@]}" --sharding dynamic --output two-dynamic.csv
"${run[@]}" "$bin" "${common[@]}" --output two.h5
cmp one.csv two.csv
cmp one.csv two-dynamic.csv
"$python" - <<'PY' || fail "HDF5 outputs differ"
import h5py, numpy as np
with h5py.File("one.h5", "r") as a, h5py.File("two.h5", "r") as b:
    assert sorted(a) == sorted(b), (sorted(a), sorted(b))
    for k in a:
        assert np.array_equal(a[k][:], b[k][:]), k
PY
grep -q '"world": 2' two.csv.metrics.json || fail "the metrics do not record 2 ranks"
echo "hostfile: 2 nodes x 1 rank == 1 rank"
