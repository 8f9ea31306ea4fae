#include "mgeo/text/encode_lines.h"

#include <gtest/gtest.h>

#include <sstream>

#include "mgeo/util/error.h"
#include "test_vocab.h"

namespace mgeo::text {
namespace {

std::string run(const std::string& input, EncodeLinesOptions opts) {
  const BertTokenizer tok(testing::test_vocab());
  std::istringstream in(input);
  std::ostringstream out;
  encode_lines(tok, in, out, "in.tsv", opts);
  return out.str();
}

std::string error_of(const std::string& input, EncodeLinesOptions opts) {
  try {
    run(input, opts);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(EncodeLines, OneJsonObjectPerLine) {
  EXPECT_EQ(run("北京\n\nsoho\r\n", {}),
            "{\"input_ids\":[2,5,6,3],\"token_type_ids\":[0,0,0,0]}\n"
            "{\"input_ids\":[2,3],\"token_type_ids\":[0,0]}\n"
            "{\"input_ids\":[2,11,3],\"token_type_ids\":[0,0,0]}\n");
}

TEST(EncodeLines, PairsAreTabSeparatedAndTruncated) {
  EncodeLinesOptions opts;
  opts.pair = true;
  opts.max_length = 6;
  EXPECT_EQ(run("北京市\tsoho a b\n", opts),  // budget 3 of 3 + 3 ids: a keeps 1, b keeps 2
            "{\"input_ids\":[2,5,3,11,17,3],\"token_type_ids\":[0,0,0,1,1,1]}\n");
}

TEST(EncodeLines, PairLineWithoutTabNamesTheLine) {
  EncodeLinesOptions opts;
  opts.pair = true;
  EXPECT_EQ(error_of("a\tb\nab\n", opts), "in.tsv:2: expected two tab-separated fields, found no tab");
  EXPECT_EQ(error_of("a\tb\tc\n", opts), "in.tsv:1: expected two tab-separated fields, found more");
}

TEST(EncodeLines, InvalidUtf8NamesTheLine) {
  EXPECT_EQ(error_of("ok\nb\xff\n", {}), "in.tsv:2: invalid UTF-8 at byte 2");
}

TEST(EncodeLines, RejectsTooSmallMaxLength) {
  EncodeLinesOptions opts;
  opts.pair = true;
  opts.max_length = 2;
  EXPECT_EQ(error_of("a\tb\n", opts), "max length 2 is below 3 (the special tokens)");
}

}  // namespace
}  // namespace mgeo::text
