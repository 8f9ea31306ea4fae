#!/usr/bin/env bash
# Builds (installing what is missing) and runs every test: unit, reference parity, MPI, end-to-end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MGEO_BUILD_DIR:-$root/build}
bash "$root/launch/build.sh"
cd "$build"
ctest --output-on-failure -j "${MGEO_TEST_JOBS:-2}" "$@"
