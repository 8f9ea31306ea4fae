#include "word_splitter.h"

#include <unicode/utf16.h>

#include "mgeo/util/utf8.h"

namespace mgeo::text::detail {
namespace {

// The special tokens BertTokenizerFast matches in raw text before normalizing.
constexpr std::string_view kSpecialTokens[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

struct Scratch {
  std::string word;
  std::u16string pending;     // code points awaiting NFD
  std::u16string decomposed;  // NFD of pending
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// One pass over one run of text: clean -> CJK padding -> NFD + strip Mn -> lowercase ->
// split on whitespace and punctuation. Each stage hands code points to the next.
class Pass {
 public:
  Pass(const NormalizerFlags& f, const BmpTable& bmp, Scratch& s, WordSink& sink)
      : f_(f), bmp_(bmp), s_(s), sink_(sink), space_(bmp[' ']) {
    s_.word.clear();
    s_.pending.clear();
  }

  void feed(char32_t c) { clean(c, info(c)); }

  void finish() {
    flush_pending();
    end_word();
  }

 private:
  CharInfo info(char32_t c) const { return char_info(bmp_, c); }

  void clean(char32_t c, CharInfo ci) {
    if (f_.clean_text) {
      if (ci.flags & kRemoved) return;
      if (ci.flags & kSpace) return pad_chinese(' ', space_);
    }
    pad_chinese(c, ci);
  }

  void pad_chinese(char32_t c, CharInfo ci) {
    if (!f_.handle_chinese_chars || !(ci.flags & kChinese)) return decompose(c, ci);
    decompose(' ', space_);
    decompose(c, ci);
    decompose(' ', space_);
  }

  void decompose(char32_t c, CharInfo ci) {
    if (!f_.strip_accents) return lower(c, ci);
    if (!(ci.flags & kNfdInert)) {
      char16_t units[2];
      int32_t n = 0;
      U16_APPEND_UNSAFE(units, n, static_cast<UChar32>(c));
      s_.pending.append(units, static_cast<std::size_t>(n));
      return;
    }
    flush_pending();
    strip_mark(c, ci);
  }

  void flush_pending() {
    if (s_.pending.empty()) return;
    nfd(s_.pending, &s_.decomposed);
    s_.pending.clear();
    const auto* d = s_.decomposed.data();
    const auto n = static_cast<int32_t>(s_.decomposed.size());
    for (int32_t i = 0; i < n;) {
      UChar32 c;
      U16_NEXT_UNSAFE(d, i, c);
      strip_mark(static_cast<char32_t>(c), info(static_cast<char32_t>(c)));
    }
  }

  void strip_mark(char32_t c, CharInfo ci) {
    if (!(ci.flags & kMark)) lower(c, ci);
  }

  void lower(char32_t c, CharInfo ci) {
    if (!f_.lowercase) return split(c, ci);
    if (ci.flags & kComplexLower) {
      char32_t out[3];
      const std::size_t n = full_lower(c, out);
      for (std::size_t i = 0; i < n; ++i) split(out[i], info(out[i]));
      return;
    }
    if (ci.lower != c) return split(ci.lower, info(ci.lower));
    split(c, ci);
  }

  void split(char32_t c, CharInfo ci) {
    if (ci.flags & kSpace) return end_word();
    if (ci.flags & kPunct) {
      end_word();
      append(c);
      return end_word();
    }
    append(c);
  }

  void append(char32_t c) {
    if (c < 0x80) {
      s_.word.push_back(static_cast<char>(c));
    } else {
      utf8::append(s_.word, c);
    }
    ++n_chars_;
  }

  void end_word() {
    if (s_.word.empty()) return;
    sink_.on_word(s_.word, n_chars_);
    s_.word.clear();
    n_chars_ = 0;
  }

  const NormalizerFlags& f_;
  const BmpTable& bmp_;
  Scratch& s_;
  WordSink& sink_;
  const CharInfo space_;
  std::size_t n_chars_ = 0;
};

}  // namespace

WordSplitter::WordSplitter(const TokenizerOptions& opts, const Vocab& vocab)
    : flags_{opts.clean_text, opts.handle_chinese_chars, opts.strips_accents(), opts.lowercase},
      bmp_(&bmp_table()) {
  for (const std::string_view t : kSpecialTokens) {
    const int32_t id = vocab.id(t);
    if (id >= 0) specials_.push_back({std::string(t), id});
  }
}

void WordSplitter::split(std::string_view text, WordSink& sink) const {
  std::size_t begin = 0;
  for (std::size_t pos = text.find('['); pos != std::string_view::npos; pos = text.find('[', pos)) {
    const SpecialToken* sp = special_at(text, pos);
    if (sp == nullptr) {
      ++pos;
      continue;
    }
    split_plain(text.substr(begin, pos - begin), sink);
    sink.on_special(sp->text, sp->id);
    pos += sp->text.size();
    begin = pos;
  }
  split_plain(text.substr(begin), sink);
}

const SpecialToken* WordSplitter::special_at(std::string_view text, std::size_t pos) const {
  for (const SpecialToken& sp : specials_) {
    if (text.compare(pos, sp.text.size(), sp.text) == 0) return &sp;
  }
  return nullptr;
}

void WordSplitter::split_plain(std::string_view text, WordSink& sink) const {
  Pass pass(flags_, *bmp_, scratch(), sink);
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      pass.feed(b);
      ++i;
      continue;
    }
    char32_t c;
    const std::size_t n = utf8::decode(text, i, &c);
    if (n == 0) {  // invalid byte: dropped, like the U+FFFD a lossy decode would give
      ++i;
      continue;
    }
    pass.feed(c);
    i += n;
  }
  pass.finish();
}

}  // namespace mgeo::text::detail
