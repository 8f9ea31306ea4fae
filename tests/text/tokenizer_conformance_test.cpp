// Every case of the HF reference fixture must come out id-for-id equal.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "mgeo/text/tokenizer.h"
#include "reference_fixture.h"

namespace mgeo::text {
namespace {

using nlohmann::json;

std::string hex_decode(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// The text field `key`, or its raw-bytes form `key`_hex; empty optional when neither is there.
std::optional<std::string> text_field(const json& c, const std::string& key) {
  if (c.contains(key)) return c[key].get<std::string>();
  if (c.contains(key + "_hex")) return hex_decode(c[key + "_hex"].get<std::string>());
  return std::nullopt;
}

class Tokenizers {
 public:
  explicit Tokenizers(const std::string& vocab_path) : vocab_(Vocab::load(vocab_path)) {}

  const BertTokenizer& get(const json& options) {
    const std::string key = options.dump();
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, BertTokenizer(vocab_, testing::options_from_json(options))).first;
    return it->second;
  }

 private:
  Vocab vocab_;
  std::map<std::string, BertTokenizer> cache_;
};

std::string describe(const json& c, const std::string& a, const std::optional<std::string>& b, const Encoding& got) {
  return fmt::format("  [{}] options={} max_length={}\n    a: \"{}\"\n{}    expected ids {} types {}\n"
                     "    actual   ids {} types {}\n",
                     c["cat"].get<std::string>(), c["options"].dump(), c["max_length"].get<int>(),
                     testing::printable(a), b ? fmt::format("    b: \"{}\"\n", testing::printable(*b)) : "",
                     c["input_ids"].dump(), c["token_type_ids"].dump(), fmt::join(got.input_ids, ","),
                     fmt::join(got.token_type_ids, ","));
}

TEST(TokenizerConformance, EveryReferenceCaseMatchesHuggingFace) {
  const std::string dir = testing::tokenizer_fixture_dir();
  if (!std::filesystem::exists(dir + "/cases.jsonl")) GTEST_SKIP() << testing::missing_fixture_message(dir);
  Tokenizers toks(dir + "/vocab.txt");
  std::ifstream in(dir + "/cases.jsonl");
  std::map<std::string, std::size_t> per_category, mismatched_per_category;
  std::size_t checked = 0, mismatched = 0;
  std::string report;
  for (std::string line; std::getline(in, line);) {
    const json c = json::parse(line);
    const std::string a = *text_field(c, "a");
    const std::optional<std::string> b = text_field(c, "b");
    const BertTokenizer& tok = toks.get(c["options"]);
    const int max_length = c["max_length"].get<int>();
    const Encoding got = b ? tok.encode_pair(a, *b, max_length) : tok.encode(a, max_length);
    const std::string category = b ? "pair" : c["cat"].get<std::string>();
    ++checked;
    ++per_category[category];
    if (got.input_ids == c["input_ids"].get<std::vector<int32_t>>() &&
        got.token_type_ids == c["token_type_ids"].get<std::vector<int32_t>>()) {
      continue;
    }
    ++mismatched_per_category[category];
    if (++mismatched <= 5) report += describe(c, a, b, got);
  }
  EXPECT_GE(checked, 10000u) << "the fixture is too small";
  EXPECT_GE(per_category.size(), 15u);
  EXPECT_EQ(mismatched, 0u) << mismatched << " of " << checked << " cases differ ("
                            << fmt::format("{}", fmt::join(mismatched_per_category, ", ")) << "); the first ones:\n"
                            << report;
}

}  // namespace
}  // namespace mgeo::text
