#include "mgeo/text/vocab.h"

#include <fstream>

#include "mgeo/util/error.h"
#include "mgeo/util/utf8.h"
#include "mgeo/util/regular_file.h"

namespace mgeo::text {
namespace {

constexpr uint64_t kMaxVocabBytes = 256u << 20;  // BERT vocabs are about 1 MB

std::vector<std::string> read_lines(const std::string& path) {
  require_regular_file(path, "vocab file", kMaxVocabBytes);
  std::ifstream in(path, std::ios::binary);
  MGEO_CHECK(in, "cannot open vocab file {}", path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  MGEO_CHECK(in.eof(), "cannot read vocab file {}", path);
  return lines;
}

int32_t required_id(const TokenTable& index, std::string_view token, const std::string& source) {
  const int32_t id = index.find(token);
  MGEO_CHECK(id >= 0, "{}: vocab has no {} token", source, token);
  return id;
}

}  // namespace

Vocab Vocab::load(const std::string& path) { return from_tokens(read_lines(path), path); }

Vocab Vocab::from_tokens(std::vector<std::string> tokens, const std::string& source) {
  Vocab v;
  v.index_ = TokenTable(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    MGEO_CHECK(utf8::valid(t), "{}:{}: token is not valid UTF-8", source, i + 1);
    const auto id = static_cast<int32_t>(i);
    if (!v.index_.insert(t, id)) {
      fail("{}:{}: duplicate token '{}' (first on line {})", source, i + 1, t, v.index_.find(t) + 1);
    }
  }
  v.tokens_ = std::move(tokens);
  v.unk_ = required_id(v.index_, "[UNK]", source);
  v.cls_ = required_id(v.index_, "[CLS]", source);
  v.sep_ = required_id(v.index_, "[SEP]", source);
  v.pad_ = required_id(v.index_, "[PAD]", source);
  return v;
}

const std::string& Vocab::token(int32_t id) const {
  MGEO_CHECK(id >= 0 && static_cast<std::size_t>(id) < tokens_.size(), "token id {} out of range [0, {})", id,
             tokens_.size());
  return tokens_[static_cast<std::size_t>(id)];
}

}  // namespace mgeo::text
