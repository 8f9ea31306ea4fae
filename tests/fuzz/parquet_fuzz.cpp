// The Parquet pair reader as `score --input pairs.parquet` runs it, in this process: by
// default MGEO_PARQUET_CHECK=0, so that what runs is our reader over Arrow (the child
// process pre-check would cost a process start per input, and hides Arrow's crashes; set
// MGEO_PARQUET_CHECK=1 to fuzz through it). A finding is a crash, a sanitizer report in our
// code, or a broken promise of pairs.h (table_fuzz.h). The pyarrow wheel's libraries are
// not instrumented: a bad access inside Arrow shows only if it crashes.
#include <stdlib.h>

#include <cstdint>

#include "table_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("MGEO_PARQUET_CHECK", "0", 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile file("pairs.parquet");
  mgeo::fuzz::read_table(file.write(data, size));
  return 0;
}
