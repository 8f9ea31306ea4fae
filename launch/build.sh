#!/usr/bin/env bash
# Installs dependencies (unless MGEO_SKIP_INSTALL=1) and builds mgeo-dist in Release.
# Env: MGEO_BUILD_DIR (default build), MGEO_VENV, MGEO_WITH_CUDA (AUTO|ON|OFF), MGEO_JOBS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${MGEO_VENV:-$HOME/.mgeo-dist-venv}
build=${MGEO_BUILD_DIR:-$root/build}
[[ "${MGEO_SKIP_INSTALL:-0}" == 1 ]] || bash "$root/launch/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DMGEO_PYTHON="$venv/bin/python" -DMGEO_WITH_CUDA="${MGEO_WITH_CUDA:-AUTO}" >/dev/null
cmake --build "$build" -j "${MGEO_JOBS:-$(nproc)}"
echo "build: $build/bin/mgeo-dist"
