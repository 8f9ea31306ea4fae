#include "mgeo/text/tokenizer.h"

#include <algorithm>

#include "mgeo/util/error.h"
#include "word_splitter.h"
#include "wordpiece.h"

namespace mgeo::text {

struct BertTokenizer::Impl {
  Impl(Vocab v, TokenizerOptions o)
      : vocab(std::move(v)), opts(o), splitter(opts, vocab), wordpiece(vocab, opts.max_input_chars_per_word) {}

  Vocab vocab;
  TokenizerOptions opts;
  detail::WordSplitter splitter;
  detail::WordPiece wordpiece;
};

namespace {

class WordCollector final : public detail::WordSink {
 public:
  void on_word(std::string_view word, std::size_t) override { words.emplace_back(word); }
  void on_special(std::string_view token, int32_t) override { words.emplace_back(token); }

  std::vector<std::string> words;
};

class IdCollector final : public detail::WordSink {
 public:
  IdCollector(const detail::WordPiece& wp, std::vector<int32_t>* out) : wp_(wp), out_(out) {}

  void on_word(std::string_view word, std::size_t n_chars) override { wp_.tokenize(word, n_chars, out_); }
  void on_special(std::string_view, int32_t id) override { out_->push_back(id); }

 private:
  const detail::WordPiece& wp_;
  std::vector<int32_t>* out_;
};

struct IdScratch {
  std::vector<int32_t> a, b;
};

IdScratch& id_scratch() {
  thread_local IdScratch s;
  return s;
}

// Appends ids[0, n) [SEP] with token type `type`.
void append_segment(Encoding* e, const std::vector<int32_t>& ids, std::size_t n, int32_t sep, int32_t type) {
  e->input_ids.insert(e->input_ids.end(), ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n));
  e->input_ids.push_back(sep);
  e->token_type_ids.resize(e->input_ids.size(), type);
}

}  // namespace

BertTokenizer::BertTokenizer(Vocab vocab, TokenizerOptions opts)
    : impl_(std::make_shared<const Impl>(std::move(vocab), opts)) {}

std::vector<std::string> BertTokenizer::basic_tokenize(std::string_view text) const {
  WordCollector c;
  impl_->splitter.split(text, c);
  return std::move(c.words);
}

void BertTokenizer::tokenize_ids(std::string_view text, std::vector<int32_t>* out) const {
  IdCollector c(impl_->wordpiece, out);
  impl_->splitter.split(text, c);
}

Encoding BertTokenizer::encode(std::string_view a, int max_length) const {
  MGEO_CHECK(max_length >= 2, "max_length {} leaves no room for [CLS] and [SEP]", max_length);
  auto& ids = id_scratch().a;
  ids.clear();
  tokenize_ids(a, &ids);
  const std::size_t n = std::min(ids.size(), static_cast<std::size_t>(max_length - 2));
  Encoding e;
  e.input_ids.reserve(n + 2);
  e.token_type_ids.reserve(n + 2);
  e.input_ids.push_back(impl_->vocab.cls_id());
  append_segment(&e, ids, n, impl_->vocab.sep_id(), 0);
  return e;
}

Encoding BertTokenizer::encode_pair(std::string_view a, std::string_view b, int max_length) const {
  MGEO_CHECK(max_length >= 3, "max_length {} leaves no room for [CLS] and two [SEP]", max_length);
  auto& s = id_scratch();
  s.a.clear();
  s.b.clear();
  tokenize_ids(a, &s.a);
  tokenize_ids(b, &s.b);
  const auto [na, nb] = truncate_longest_first(s.a.size(), s.b.size(), static_cast<std::size_t>(max_length - 3));
  Encoding e;
  e.input_ids.reserve(na + nb + 3);
  e.token_type_ids.reserve(na + nb + 3);
  e.input_ids.push_back(impl_->vocab.cls_id());
  append_segment(&e, s.a, na, impl_->vocab.sep_id(), 0);
  append_segment(&e, s.b, nb, impl_->vocab.sep_id(), 1);
  return e;
}

const Vocab& BertTokenizer::vocab() const { return impl_->vocab; }

const TokenizerOptions& BertTokenizer::options() const { return impl_->opts; }

}  // namespace mgeo::text
