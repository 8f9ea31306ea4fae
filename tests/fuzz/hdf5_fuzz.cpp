// The HDF5 pair reader as `score --input pairs.h5` runs it: PairSource::open reads the file
// through in a child process first (this executable started again, under limits), then
// reads it here. A finding is this process crashing or a broken promise of pairs.h; the
// HDF5 library's own crashes and loops on damaged files stay in the child and come back
// as mgeo::Error.
//
// MGEO_HDF5_CHECK=0 fuzzes the reader in this process alone (much faster): HDF5 1.10.8
// then crashes on damaged files within seconds, in the library rather than in our code.
// MGEO_HDF5_CHECK_SECONDS is 5 unless set, below the runner's -timeout.
#include <stdlib.h>

#include <cstdint>
#include <string>

#include "table_fuzz.h"

// HDF5 1.10.8 leaks the object header it was decoding when a damaged one fails to load
// (H5O_protect under H5Dopen2, on a file the check read through without error). Memory
// that HDF5 allocated is its own to lose; what this reader allocates is still checked.
extern "C" const char* __lsan_default_suppressions() { return "leak:libhdf5_serial.so\n"; }

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("MGEO_HDF5_CHECK_SECONDS", "5", 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile file("pairs.h5");
  mgeo::fuzz::read_table(file.write(data, size));
  return 0;
}
