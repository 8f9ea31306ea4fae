// The labelled sets (tests/address/data): per-field accuracy, printed, with a floor per
// field and the first mismatches named by line. addresses.tsv was written alongside the
// parser; heldout.tsv was written apart from it (HELDOUT.md), so its floor is its own.
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

void check_set(const std::string& name, double floor) {
  const auto rows = test::labelled_set(name);
  std::map<std::string, int> right;
  int shown = 0;
  for (const auto& row : rows) {
    const Address a = test::parser().parse(row.text);
    for (Field f : kFields) {
      if (a.get(f) == row.expected.get(f)) {
        ++right[field_name(f)];
      } else if (++shown <= 15) {
        ADD_FAILURE() << name << ":" << row.line << " " << row.text << ": " << field_name(f) << " '" << a.get(f)
                      << "', expected '" << row.expected.get(f) << "'";
      }
    }
    if (a.resolution == row.expected.resolution) {
      ++right["resolution"];
    } else if (++shown <= 15) {
      ADD_FAILURE() << name << ":" << row.line << " " << row.text << ": resolution " << resolution_name(a.resolution);
    }
  }
  std::printf("%s, %zu addresses, per-field accuracy:\n", name.c_str(), rows.size());
  for (const auto& [field, n] : right) {
    const double acc = static_cast<double>(n) / static_cast<double>(rows.size());
    std::printf("  %-10s %.4f\n", field.c_str(), acc);
    EXPECT_GE(acc, floor) << name << " " << field;
  }
}

TEST(HandwrittenSet, PerFieldAccuracy) { check_set("addresses.tsv", 0.98); }

TEST(HeldoutSet, PerFieldAccuracy) {
  EXPECT_GE(test::labelled_set("heldout.tsv").size(), 150u);
  check_set("heldout.tsv", 0.97);
}

}  // namespace
}  // namespace mgeo::address
