// The address parser (Parser::parse over data/divisions, as `parse` and the vetoes use it)
// on the input as text; the two sides of its first tab are also parsed and compared.
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "mgeo/address/compare.h"
#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto parser = mgeo::address::Parser::from_directory();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto whole = parser.parse(text);
  mgeo::address::to_json(text, whole);
  mgeo::address::normalize(text);
  const auto tab = text.find('\t');
  if (tab != text.npos) {
    const auto a = parser.parse(text.substr(0, tab)), b = parser.parse(text.substr(tab + 1));
    const auto ab = mgeo::address::compare(a, b), ba = mgeo::address::compare(b, a);
    FUZZ_CHECK(ab.fields == ba.fields, "compare is symmetric");
  }
  return 0;
}
