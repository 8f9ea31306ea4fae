#!/usr/bin/env bash
# Installs everything mgeo-dist needs on Debian 12 from nothing: system packages with
# apt-get and a Python venv with the pinned torch wheel (its libtorch is what we link).
# Idempotent. Env: MGEO_VENV (default ~/.mgeo-dist-venv), MGEO_SKIP_APT=1 to skip apt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${MGEO_VENV:-$HOME/.mgeo-dist-venv}

apt_packages=(
  build-essential cmake ninja-build pkg-config python3-venv
  libopenmpi-dev openmpi-bin libhdf5-dev libfmt-dev libgtest-dev googletest
  nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libicu-dev zlib1g-dev
)
if [[ "${MGEO_SKIP_APT:-0}" != 1 ]]; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    echo "install-deps: apt-get install ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
  fi
fi

if [[ ! -x "$venv/bin/python" ]]; then
  echo "install-deps: creating venv $venv"
  python3 -m venv "$venv"
fi
# Pinned versions already present are not fetched again.
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
echo "install-deps: ok (venv $venv, torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)'))"
