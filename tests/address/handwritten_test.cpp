// The hand-written set (tests/address/data/addresses.tsv): per-field accuracy, printed,
// with a floor per field and the first mismatches named by line.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "address_fixture.h"

namespace mgeo::address {
namespace {

TEST(HandwrittenSet, CoversTheCasesItClaims) {
  const auto rows = test::handwritten_set();
  EXPECT_GE(rows.size(), 300u);
}

TEST(HandwrittenSet, PerFieldAccuracy) {
  const auto rows = test::handwritten_set();
  std::map<std::string, int> right;
  int shown = 0;
  for (const auto& row : rows) {
    const Address a = test::parser().parse(row.text);
    for (Field f : kFields) {
      if (a.get(f) == row.expected.get(f)) {
        ++right[field_name(f)];
      } else if (++shown <= 15) {
        ADD_FAILURE() << "addresses.tsv:" << row.line << " " << row.text << ": " << field_name(f) << " '"
                      << a.get(f) << "', expected '" << row.expected.get(f) << "'";
      }
    }
    if (a.resolution == row.expected.resolution) {
      ++right["resolution"];
    } else if (++shown <= 15) {
      ADD_FAILURE() << "addresses.tsv:" << row.line << " " << row.text << ": resolution "
                    << resolution_name(a.resolution);
    }
  }
  std::printf("hand-written set, %zu addresses, per-field accuracy:\n", rows.size());
  for (const auto& [field, n] : right) {
    const double acc = static_cast<double>(n) / static_cast<double>(rows.size());
    std::printf("  %-10s %.4f\n", field.c_str(), acc);
    EXPECT_GE(acc, 0.98) << field;
  }
}

}  // namespace
}  // namespace mgeo::address
