# -DMGEO_FUZZ=ON: a tree of libFuzzer harnesses (tests/fuzz) and the code they call, built
# with clang under ASan and UBSan. Included before the dependencies are found: the tree
# has no CUDA path and its own build type (optimized, asserts on, line tables for traces).

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "MGEO_FUZZ needs clang (-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang)")
endif()
set(MGEO_WITH_CUDA OFF)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Fuzz CACHE STRING "" FORCE)
endif()
set(CMAKE_C_FLAGS_FUZZ "-O1 -gline-tables-only")
set(CMAKE_CXX_FLAGS_FUZZ "-O1 -gline-tables-only")

# Every object is instrumented for coverage and sanitizers; harnesses add -fsanitize=fuzzer
# at link time (tests/fuzz/CMakeLists.txt). A UB report aborts, so it counts as a finding.
set(MGEO_FUZZ_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all)
add_compile_options(-fsanitize=fuzzer-no-link ${MGEO_FUZZ_SANITIZE} -fno-omit-frame-pointer)
