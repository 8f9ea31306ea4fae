// Internal to mgeo_io, only in a build with Parquet: turning Arrow's and Parquet's errors
// (arrow::Status, arrow::Result, parquet::ParquetException, std::exception) into
// mgeo::Error whose message names the file and what was being done.
#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <exception>
#include <string>
#include <utility>

#include "mgeo/util/error.h"

namespace mgeo::io::pq {

// "<what>: <status text>".
[[noreturn]] void fail_status(const arrow::Status& status, const std::string& what);

inline void check(const arrow::Status& status, const std::string& what) {
  if (!status.ok()) fail_status(status, what);
}

template <class T>
T value(arrow::Result<T> result, const std::string& what) {
  if (!result.ok()) fail_status(result.status(), what);
  return std::move(result).ValueUnsafe();
}

// Runs f(); an exception other than mgeo::Error (Parquet throws on damaged files, and
// allocations can fail) becomes mgeo::Error("<what>: <message>").
template <class F>
auto guarded(const std::string& what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail("{}: {}", what, e.what());
  }
}

}  // namespace mgeo::io::pq
