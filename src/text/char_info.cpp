#include "char_info.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <memory>

#include "mgeo/util/error.h"

namespace mgeo::text::detail {
namespace {

// Unicode version of the tables HF tokenizers uses for general categories and for NFD.
constexpr uint8_t kCategoryUnicodeMajor = 8;
constexpr uint8_t kNfdUnicodeMajor = 9;

bool assigned_by(char32_t c, uint8_t major) {
  UVersionInfo age;
  u_charAge(static_cast<UChar32>(c), age);
  return age[0] != 0 && age[0] <= major;
}

// General category in Unicode 8.0. The switch lists code points whose category changed
// since then (found by sweeping every code point against HF tokenizers).
int8_t legacy_category(char32_t c) {
  if (!assigned_by(c, kCategoryUnicodeMajor)) return U_UNASSIGNED;
  switch (c) {
    case 0x166D:
    case 0x111C9:
      return U_OTHER_PUNCTUATION;
    case 0x1734:
      return U_NON_SPACING_MARK;
    case 0x1885:
    case 0x1886:
      return U_OTHER_LETTER;
    case 0xA9BD:
      return U_COMBINING_SPACING_MARK;
    default:
      return u_charType(static_cast<UChar32>(c));
  }
}

bool is_punct_category(int8_t cat) {
  switch (cat) {
    case U_CONNECTOR_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
      return true;
    default:
      return false;
  }
}

bool is_ascii_punct(char32_t c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E);
}

// The ranges of BERT's _is_chinese_char.
bool is_chinese(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool is_removed(char32_t c, int8_t cat) {
  if (c == 0 || c == 0xFFFD) return true;
  if (c == '\t' || c == '\n' || c == '\r') return false;
  return cat == U_CONTROL_CHAR || cat == U_FORMAT_CHAR || cat == U_PRIVATE_USE_CHAR;
}

const UNormalizer2* nfd_instance() {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* n = unorm2_getNFDInstance(&status);
  MGEO_CHECK(U_SUCCESS(status), "ICU NFD normalizer unavailable: {}", u_errorName(status));
  return n;
}

const UNormalizer2* nfd_normalizer() {
  static const UNormalizer2* const n = nfd_instance();
  return n;
}

bool nfd_inert(char32_t c) {
  return !assigned_by(c, kNfdUnicodeMajor) || unorm2_isInert(nfd_normalizer(), static_cast<UChar32>(c));
}

uint8_t flags_of(char32_t c) {
  const int8_t cat = legacy_category(c);
  uint8_t f = 0;
  if (is_removed(c, cat)) f |= kRemoved;
  if (u_isUWhiteSpace(static_cast<UChar32>(c))) f |= kSpace;
  if (is_ascii_punct(c) || is_punct_category(cat)) f |= kPunct;
  if (cat == U_NON_SPACING_MARK) f |= kMark;
  if (is_chinese(c)) f |= kChinese;
  if (nfd_inert(c)) f |= kNfdInert;
  return f;
}

CharInfo classify_case(char32_t c, uint8_t flags, char32_t max_simple) {
  if (!u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CHANGES_WHEN_LOWERCASED)) return {flags, c};
  char32_t lower[3];
  if (full_lower(c, lower) == 1 && lower[0] <= max_simple) return {flags, lower[0]};
  return {static_cast<uint8_t>(flags | kComplexLower), c};
}

std::unique_ptr<BmpTable> build_bmp_table() {
  auto t = std::make_unique<BmpTable>();
  for (char32_t c = 0; c < 0x10000; ++c) {
    const CharInfo info = U16_IS_SURROGATE(c) ? CharInfo{0, c} : classify_case(c, flags_of(c), 0xFFFF);
    t->flags[c] = info.flags;
    t->lower[c] = static_cast<uint16_t>(info.lower);
  }
  return t;
}

}  // namespace

const BmpTable& bmp_table() {
  static const std::unique_ptr<BmpTable> table = build_bmp_table();
  return *table;
}

CharInfo classify(char32_t c) { return classify_case(c, flags_of(c), 0x10FFFF); }

std::size_t full_lower(char32_t c, char32_t out[3]) {
  UChar src[2];
  int32_t src_len = 0;
  U16_APPEND_UNSAFE(src, src_len, static_cast<UChar32>(c));
  UChar dst[8];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t dst_len = u_strToLower(dst, 8, src, src_len, "", &status);
  if (U_FAILURE(status)) {
    out[0] = c;
    return 1;
  }
  std::size_t n = 0;
  for (int32_t i = 0; i < dst_len && n < 3;) {
    UChar32 lc;
    U16_NEXT(dst, i, dst_len, lc);
    out[n++] = static_cast<char32_t>(lc);
  }
  return n;
}

void nfd(const std::u16string& in, std::u16string* out) {
  out->resize(3 * in.size());  // NFD grows UTF-16 text at most 3x
  for (;;) {
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = unorm2_normalize(nfd_normalizer(), in.data(), static_cast<int32_t>(in.size()),
                                       out->data(), static_cast<int32_t>(out->size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out->resize(static_cast<std::size_t>(n));
      continue;
    }
    MGEO_CHECK(U_SUCCESS(status), "ICU NFD failed: {}", u_errorName(status));
    out->resize(static_cast<std::size_t>(n));
    return;
  }
}

}  // namespace mgeo::text::detail
