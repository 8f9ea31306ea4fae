// normalize(): width, spaces, '#', Chinese numerals before markers, building forms, noise.
#include "mgeo/address/normalize.h"

#include <array>
#include <string>

#include "chars.h"
#include "mgeo/util/utf8.h"

namespace mgeo::address {
namespace {

using namespace detail;

// Markers that a number written in Chinese numerals may precede.
constexpr std::array<std::u32string_view, 10> kNumeralMarkers = {
    U"号", U"栋", U"幢", U"座", U"单元", U"室", U"楼", U"层", U"弄", U"组"};

constexpr std::array<std::u32string_view, 7> kTrailingNoise = {
    U"附近", U"门口", U"旁边", U"对面", U"周边", U"一带", U"收"};

bool is_dash(char32_t c) { return c == U'-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 ||
                                  c == 0x2014 || c == 0x2212 || c == 0xFE63; }

// Stage 1: width, whitespace, '#'.
std::u32string widths_and_spaces(std::u32string_view in) {
  std::u32string out;
  out.reserve(in.size());
  bool pending_space = false;
  for (char32_t c : in) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
    if (is_space(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) {
      if (!out.empty() && is_alnum(out.back()) && is_alnum(c)) out.push_back(U' ');
      pending_space = false;
    }
    out.push_back(c == U'#' ? U'号' : c);
  }
  return out;
}

// Stage 3: a dash between two digits is the house-number separator (768—4 -> 768-4).
void dashes(std::u32string& s) {
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (is_dash(s[i]) && is_digit(s[i - 1]) && is_digit(s[i + 1])) s[i] = U'-';
  }
}

bool marker_at(std::u32string_view s, std::size_t pos) {
  for (std::u32string_view m : kNumeralMarkers) {
    if (starts_with(s, pos, m)) return true;
  }
  return false;
}

// Stage 2: Chinese numerals (and any 第 before a number) directly before a marker. A run
// mixes ASCII digits and Chinese numerals as people do (8零1室): digit by digit, unless
// it is one positional number (一百零八).
std::u32string numerals(std::u32string_view in) {
  std::u32string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    if (!is_cn_numeral(in[i]) && !is_digit(in[i])) {
      out.push_back(in[i++]);
      continue;
    }
    std::size_t j = i;
    bool ascii = false, chinese = false;
    for (; j < in.size() && (is_cn_numeral(in[j]) || is_digit(in[j])); ++j) {
      (is_digit(in[j]) ? ascii : chinese) = true;
    }
    const std::u32string_view run = in.substr(i, j - i);
    std::u32string digits;
    if (marker_at(in, j)) {
      if (!chinese) {
        digits = run;
      } else if (!ascii) {
        const int64_t v = chinese_numeral_value(run);
        if (v >= 0) {
          for (char ch : std::to_string(v)) digits.push_back(static_cast<char32_t>(ch));
        }
      } else {
        for (char32_t c : run) {
          const int64_t v = is_digit(c) ? c - U'0' : chinese_numeral_value(std::u32string_view(&c, 1));
          if (v < 0 || v > 9) {
            digits.clear();
            break;
          }
          digits.push_back(static_cast<char32_t>(U'0' + v));
        }
      }
      // 第 goes unless dropping it would join this number to one before it (二第3室).
      std::size_t k = 0;
      while (k < out.size() && out[out.size() - 1 - k] == U'第') ++k;
      const bool joins = k < out.size() && (is_digit(out[out.size() - 1 - k]) || is_cn_numeral(out[out.size() - 1 - k]));
      if (!digits.empty() && k > 0 && !joins) out.resize(out.size() - k);
    }
    out.append(digits.empty() ? run : std::u32string_view(digits));
    i = j;
  }
  return out;
}

// Stage 4: 号楼/栋/幢/座 after a digit or letter id -> 栋 (numbered) or 座 (lettered).
std::u32string building_forms(std::u32string_view in) {
  std::u32string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    std::size_t len = 0;
    if (in[i] == U'号' && i + 1 < in.size() && in[i + 1] == U'楼') {
      len = 2;
    } else if (in[i] == U'栋' || in[i] == U'幢' || in[i] == U'座') {
      len = 1;
    }
    if (len > 0 && !out.empty() && is_alnum(out.back())) {
      out.push_back(is_digit(out.back()) ? U'栋' : U'座');
      i += len;
      continue;
    }
    out.push_back(in[i]);
    ++i;
  }
  return out;
}

// Stage 5: trailing noise words and punctuation.
void strip_trailing_noise(std::u32string& s) {
  for (bool again = true; again && !s.empty();) {
    again = false;
    while (!s.empty() && (is_separator(s.back()) || s.back() == U' ' || s.back() == U'-')) {
      s.pop_back();
      again = true;
    }
    for (std::u32string_view noise : kTrailingNoise) {
      if (s.size() > noise.size() && ends_with(s, noise)) {
        s.resize(s.size() - noise.size());
        again = true;
      }
    }
  }
}

int digit_value(char32_t c) {
  switch (c) {
    case U'零': case U'〇': return 0;
    case U'一': return 1;
    case U'二': case U'两': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    default: return -1;
  }
}

int unit_value(char32_t c) { return c == U'十' ? 10 : c == U'百' ? 100 : c == U'千' ? 1000 : 0; }

}  // namespace

int64_t chinese_numeral_value(std::u32string_view run) {
  if (run.empty() || run.size() > 12) return -1;
  bool positional = false;
  for (char32_t c : run) {
    if (unit_value(c) > 0) positional = true;
    else if (digit_value(c) < 0) return -1;
  }
  if (!positional) {  // digit by digit: 三五七 = 357
    int64_t v = 0;
    for (char32_t c : run) v = v * 10 + digit_value(c);
    return v;
  }
  // Positional: units strictly decreasing, a digit before each unit (十 alone may lead).
  int64_t total = 0;
  int pending = -1;        // the digit waiting for its unit
  int last_unit = 10000;
  bool zero_seen = false;  // 零 between units (一百零八)
  for (std::size_t i = 0; i < run.size(); ++i) {
    const char32_t c = run[i];
    const int unit = unit_value(c);
    if (unit > 0) {
      if (unit >= last_unit) return -1;
      int d = pending;
      if (d < 0) {
        if (unit != 10 || i != 0) return -1;  // only a leading 十 stands alone
        d = 1;
      }
      total += static_cast<int64_t>(d) * unit;
      last_unit = unit;
      pending = -1;
      zero_seen = false;
      continue;
    }
    const int d = digit_value(c);
    if (d == 0) {
      if (pending >= 0 || zero_seen || i == 0) return -1;
      zero_seen = true;
      continue;
    }
    if (pending >= 0) return -1;  // two digits in a row: not positional
    pending = d;
  }
  if (pending >= 0) {
    total += pending;
  } else if (zero_seen) {
    return -1;  // a trailing 零
  }
  return total;
}

std::u32string detail::normalize_code_points(std::u32string_view text) {
  std::u32string s = numerals(widths_and_spaces(text));
  dashes(s);
  s = building_forms(s);
  strip_trailing_noise(s);
  return s;
}

std::string normalize(std::string_view text) {
  std::u32string s;
  if (!detail::decode(text, s)) return std::string(text);
  return detail::encode(detail::normalize_code_points(s));
}

}  // namespace mgeo::address
