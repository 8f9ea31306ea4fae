# Finds every dependency and defines MGEO_HAVE_CUDA / MGEO_NCCL_TARGET.
# libtorch comes from PyPI's torch wheel: pass -DCMAKE_PREFIX_PATH=$(python -c
# 'import torch; print(torch.utils.cmake_prefix_path)') or set MGEO_PYTHON.

find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(MPI REQUIRED COMPONENTS C)
find_package(HDF5 REQUIRED COMPONENTS C)
add_library(hdf5_c INTERFACE)
target_include_directories(hdf5_c INTERFACE ${HDF5_C_INCLUDE_DIRS})
target_link_libraries(hdf5_c INTERFACE ${HDF5_C_LIBRARIES})
target_compile_definitions(hdf5_c INTERFACE ${HDF5_C_DEFINITIONS})

set(MGEO_PYTHON "python3" CACHE STRING "Python whose torch wheel provides libtorch")
if(NOT Torch_DIR)
  execute_process(COMMAND ${MGEO_PYTHON} -c "import torch; print(torch.utils.cmake_prefix_path)"
                  OUTPUT_VARIABLE _torch_prefix OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(_rc EQUAL 0)
    list(APPEND CMAKE_PREFIX_PATH ${_torch_prefix})
  endif()
endif()

# The torch wheel is a CUDA build; its CMake config wants the CUDA toolkit when it is there.
set(MGEO_HAVE_CUDA OFF)
if(NOT MGEO_WITH_CUDA STREQUAL "OFF")
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    set(MGEO_HAVE_CUDA ON)
  elseif(MGEO_WITH_CUDA STREQUAL "ON")
    message(FATAL_ERROR "MGEO_WITH_CUDA=ON but no CUDA compiler was found")
  endif()
endif()
if(MGEO_HAVE_CUDA)
  if(NOT CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 90)
  endif()
  enable_language(CUDA)
  find_package(CUDAToolkit REQUIRED)
endif()
find_package(Torch REQUIRED)

set(MGEO_NCCL_TARGET "")
if(MGEO_HAVE_CUDA)
  # Prefer the NCCL that libtorch itself loads (the nvidia-nccl wheel) so one libnccl.so.2 is in the process.
  execute_process(COMMAND ${MGEO_PYTHON} -c "import nvidia.nccl; print(list(nvidia.nccl.__path__)[0])"
                  OUTPUT_VARIABLE _nccl_root OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc ERROR_QUIET)
  find_path(NCCL_INCLUDE_DIR nccl.h HINTS ${_nccl_root}/include ${CUDAToolkit_INCLUDE_DIRS} NO_DEFAULT_PATH)
  find_path(NCCL_INCLUDE_DIR nccl.h)
  find_library(NCCL_LIBRARY NAMES libnccl.so.2 nccl NAMES_PER_DIR HINTS ${_nccl_root}/lib ${CUDAToolkit_LIBRARY_DIR})
  if(NOT NCCL_INCLUDE_DIR OR NOT NCCL_LIBRARY)
    message(FATAL_ERROR "CUDA build without NCCL: set NCCL_INCLUDE_DIR and NCCL_LIBRARY")
  endif()
  add_library(mgeo_nccl INTERFACE)
  target_include_directories(mgeo_nccl INTERFACE ${NCCL_INCLUDE_DIR})
  target_link_libraries(mgeo_nccl INTERFACE ${NCCL_LIBRARY} CUDA::cudart)
  set(MGEO_NCCL_TARGET mgeo_nccl)
  message(STATUS "mgeo: CUDA ${CUDAToolkit_VERSION}, NCCL ${NCCL_LIBRARY}")
endif()
message(STATUS "mgeo: torch ${Torch_VERSION} from ${Torch_DIR}; CUDA path: ${MGEO_HAVE_CUDA}")

# Parquet tables through Arrow C++ from PyPI's pyarrow wheel (libarrow.so.<so>,
# libparquet.so.<so> and their headers; no unversioned symlinks, so the full paths are
# linked and the wheel's folder goes into the build RPATH). Only src/io sees the headers.
# The fuzz tree has it too (tests/fuzz/parquet_fuzz.cpp): our reader is instrumented, the
# wheel's libraries are not.
option(MGEO_WITH_PARQUET "Read and write .parquet tables (Arrow C++ from the pyarrow wheel)" ON)
if(MGEO_WITH_PARQUET)
  execute_process(COMMAND ${MGEO_PYTHON} -c
    "import pyarrow as p; v=p.__version__.split('.'); print(p.get_include()); print(p.get_library_dirs()[0]); print(p.__version__); print(int(v[0])*100+int(v[1]))"
    OUTPUT_VARIABLE _pa OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc ERROR_QUIET)
  if(_rc EQUAL 0)
    string(REPLACE "\n" ";" _pa "${_pa}")
    list(GET _pa 0 MGEO_ARROW_INCLUDE_DIR)
    list(GET _pa 1 _pa_libdir)
    list(GET _pa 2 MGEO_PYARROW_VERSION)
    list(GET _pa 3 _pa_so)
    set(MGEO_ARROW_LIBRARY ${_pa_libdir}/libarrow.so.${_pa_so})
    set(MGEO_PARQUET_LIBRARY ${_pa_libdir}/libparquet.so.${_pa_so})
  endif()
  if(NOT _rc EQUAL 0 OR NOT EXISTS "${MGEO_ARROW_LIBRARY}" OR NOT EXISTS "${MGEO_PARQUET_LIBRARY}"
     OR NOT EXISTS "${MGEO_ARROW_INCLUDE_DIR}/parquet/arrow/reader.h")
    message(FATAL_ERROR "MGEO_WITH_PARQUET=ON but ${MGEO_PYTHON} has no pyarrow wheel with libarrow/libparquet "
                        "and headers: run launch/install-deps.sh (it installs pyarrow from launch/requirements.txt), "
                        "or configure with -DMGEO_WITH_PARQUET=OFF")
  endif()
  add_library(mgeo_arrow SHARED IMPORTED)
  set_target_properties(mgeo_arrow PROPERTIES IMPORTED_LOCATION ${MGEO_ARROW_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${MGEO_ARROW_INCLUDE_DIR})
  add_library(mgeo_parquet SHARED IMPORTED)
  set_target_properties(mgeo_parquet PROPERTIES IMPORTED_LOCATION ${MGEO_PARQUET_LIBRARY}
                        INTERFACE_LINK_LIBRARIES mgeo_arrow)
  message(STATUS "mgeo: Parquet via pyarrow ${MGEO_PYARROW_VERSION} (${MGEO_PARQUET_LIBRARY})")
else()
  message(STATUS "mgeo: Parquet support off (MGEO_WITH_PARQUET=OFF)")
endif()
