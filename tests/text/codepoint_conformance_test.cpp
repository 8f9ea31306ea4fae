// HF's normalizer + pre-tokenizer on "a" + c + "a", for (nearly) every code point c and
// several option sets, must give the same words as basic_tokenize.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unicode/uchar.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "mgeo/text/tokenizer.h"
#include "mgeo/util/utf8.h"
#include "reference_fixture.h"

namespace mgeo::text {
namespace {

using nlohmann::json;
using Words = std::vector<std::string>;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

struct SweepResult {
  std::size_t checked = 0, mismatched = 0, unknown_to_icu = 0;
  std::string report;
};

// HF lowercases with Rust's (newer) Unicode data; code points this ICU has not assigned
// cannot be lowercased here, and are counted instead of failed.
bool beyond_icu(const TokenizerOptions& o, char32_t c) {
  return o.lowercase && u_charType(static_cast<UChar32>(c)) == U_UNASSIGNED;
}

void check_run(const BertTokenizer& tok, const json& run, const std::string& placeholder, SweepResult* r) {
  const auto first = run[0].get<char32_t>(), last = run[1].get<char32_t>();
  const auto templ = run[2].get<Words>();
  for (char32_t c = first; c <= last; ++c) {
    std::string ch;
    utf8::append(ch, c);
    Words expected;
    for (const auto& w : templ) expected.push_back(replace_all(w, placeholder, ch));
    const Words got = tok.basic_tokenize("a" + ch + "a");
    ++r->checked;
    if (got == expected) continue;
    if (beyond_icu(tok.options(), c)) {
      ++r->unknown_to_icu;
      continue;
    }
    if (++r->mismatched <= 8) {
      r->report += fmt::format("  U+{:04X}: expected [{}] actual [{}]\n", static_cast<uint32_t>(c),
                               testing::printable(fmt::format("{}", fmt::join(expected, " | "))),
                               testing::printable(fmt::format("{}", fmt::join(got, " | "))));
    }
  }
}

TEST(TokenizerConformance, EveryCodePointMatchesHuggingFace) {
  const std::string dir = testing::tokenizer_fixture_dir();
  if (!std::filesystem::exists(dir + "/codepoints.jsonl")) GTEST_SKIP() << testing::missing_fixture_message(dir);
  const Vocab vocab = Vocab::load(dir + "/vocab.txt");
  std::ifstream in(dir + "/codepoints.jsonl");
  std::size_t sweeps = 0;
  for (std::string line; std::getline(in, line); ++sweeps) {
    const json sweep = json::parse(line);
    const BertTokenizer tok(vocab, testing::options_from_json(sweep["options"]));
    SweepResult r;
    for (const json& run : sweep["runs"]) check_run(tok, run, sweep["placeholder"].get<std::string>(), &r);
    EXPECT_GE(r.checked, 300000u);
    EXPECT_EQ(r.mismatched, 0u) << "options " << sweep["options"].dump() << ": " << r.mismatched << " of "
                                << r.checked << " code points differ; the first ones:\n"
                                << r.report;
    std::cout << "options " << sweep["options"].dump() << ": " << r.checked << " code points, "
              << r.unknown_to_icu << " not lowercased (unassigned in ICU " << U_ICU_VERSION << ")\n";
  }
  EXPECT_EQ(sweeps, 5u);
}

}  // namespace
}  // namespace mgeo::text
