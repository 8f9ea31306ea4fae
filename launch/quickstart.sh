#!/usr/bin/env bash
# Installs, builds, then, with 2 MPI ranks and the default model, scores the shipped sample
# pairs and links the sample queries to the sample master list.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MGEO_BUILD_DIR:-$root/build}
bash "$root/launch/build.sh"
mpi_flags=(--oversubscribe)
[[ $(id -u) -ne 0 ]] || mpi_flags+=(--allow-run-as-root)
mkdir -p "$root/out"
mpirun "${mpi_flags[@]}" -np "${MGEO_RANKS:-2}" "$build/bin/mgeo-dist" score \
  --input "$root/data/sample/pairs.csv" \
  --output "$root/out/sample-scores.csv" --threads 1
echo "quickstart: wrote $root/out/sample-scores.csv"
head -n 5 "$root/out/sample-scores.csv"
mpirun "${mpi_flags[@]}" -np "${MGEO_RANKS:-2}" "$build/bin/mgeo-dist" link \
  --master "$root/data/sample/master.csv" --queries "$root/data/sample/queries.csv" \
  --output "$root/out/sample-links.csv" --threads 1
echo "quickstart: wrote $root/out/sample-links.csv"
cut -d, -f1-4,19-20 "$root/out/sample-links.csv" | tail -n 5
