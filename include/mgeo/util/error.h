// mgeo/util/error.h — the project's error policy.
//
// Contract: expected failures (a bad file, config, checkpoint key or input row that
// cannot be flagged) throw mgeo::Error whose message names where: file:line, the key,
// or the rank. Programming errors use assert. Callers at the CLI layer catch Error,
// print it once and exit non-zero. Value type; thread-safe.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace mgeo {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class... Args>
[[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) {
  throw Error(fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace mgeo

// MGEO_CHECK(cond, "fmt {}", args...): throws mgeo::Error with the formatted message.
#define MGEO_CHECK(cond, ...)      \
  do {                             \
    if (!(cond)) {                 \
      ::mgeo::fail(__VA_ARGS__);   \
    }                              \
  } while (0)
