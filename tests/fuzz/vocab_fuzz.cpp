// Vocab::load on the input as vocab.txt; a vocab it accepts then tokenizes a fixed text.
#include <cstdint>

#include "fuzz_util.h"
#include "mgeo/text/tokenizer.h"
#include "mgeo/text/vocab.h"
#include "mgeo/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mgeo::fuzz::InputFile file("vocab.txt");
  try {
    auto vocab = mgeo::text::Vocab::load(file.write(data, size));
    const auto n = static_cast<int32_t>(vocab.size());
    for (int32_t id = 0; id < n; ++id) FUZZ_CHECK(vocab.id(vocab.token(id)) == id, "token <-> id");
    const mgeo::text::BertTokenizer tok(std::move(vocab));
    const auto e = tok.encode_pair("浙江省杭州市西湖区文三路 90 号 Café ##ab [SEP] x", "杭州西湖区文三路90号 [MASK]", 32);
    for (const auto id : e.input_ids) FUZZ_CHECK(id >= 0 && id < n, "ids in the vocab");
  } catch (const mgeo::Error& e) {
    mgeo::fuzz::rejected(e);
  }
  return 0;
}
