// Helpers for the reference fixtures written by tests/reference/make_tokenizer_cases.py.
#pragma once

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unicode/uchar.h>

#include <string>
#include <string_view>

#include "mgeo/text/tokenizer.h"
#include "mgeo/util/utf8.h"

namespace mgeo::text::testing {

inline std::string tokenizer_fixture_dir() { return std::string(MGEO_FIXTURE_DIR) + "/tokenizer"; }

inline std::string missing_fixture_message(const std::string& dir) {
  return fmt::format(
      "no reference fixtures in {0}: run `python tests/reference/make_tokenizer_cases.py --out {0}` "
      "(ctest runs it as fixture_tokenizer)",
      dir);
}

inline TokenizerOptions options_from_json(const nlohmann::json& j) {
  TokenizerOptions o;
  o.lowercase = j.at("lowercase").get<bool>();
  if (!j.at("strip_accents").is_null()) o.strip_accents = j.at("strip_accents").get<bool>();
  o.clean_text = j.value("clean_text", true);
  o.handle_chinese_chars = j.value("handle_chinese_chars", true);
  return o;
}

// Whether failure messages show c escaped: invisible or combining code points.
inline bool shown_escaped(char32_t c) {
  if (c == ' ') return false;
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_PRIVATE_USE_CHAR:
    case U_UNASSIGNED:
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
      return true;
    default:
      return false;
  }
}

// Text for failure messages: visible code points as they are, the rest escaped.
inline std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c;
    const std::size_t n = utf8::decode(s, i, &c);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i++]));
      continue;
    }
    if (shown_escaped(c)) {
      out += fmt::format("\\u{{{:x}}}", static_cast<uint32_t>(c));
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

}  // namespace mgeo::text::testing
