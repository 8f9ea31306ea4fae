// index_impl.h — BlockIndex's arrays (internal): compact per-master codes, key blocks
// and the n-gram inverted index, each as a flat CSR layout.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "flat_map.h"
#include "mgeo/link/block_index.h"

namespace mgeo::link {

// One key pass: key -> block, block b's masters are members[begin[b] .. begin[b + 1]).
struct KeyBlocks {
  FlatMap map;
  std::vector<uint32_t> begin, members;
  std::size_t bytes() const {
    return map.bytes() + (begin.capacity() + members.capacity()) * sizeof(uint32_t);
  }
};

struct BlockIndex::Impl {
  const address::Parser* parser = nullptr;
  BlockOptions options;
  std::vector<std::string> ids;
  std::vector<uint32_t> province, city;  // division codes (0: unknown)
  std::vector<float> doc_weight;         // BM25 (k1 + 1) / (1 + k1 (1 - b + b len / avg len))
  std::array<KeyBlocks, 3> keys;         // kDistrictRoadNumber, kCityRoadNumber, kDistrictPoi
  FlatMap grams;                         // n-gram -> gram id
  std::vector<uint32_t> gram_begin, postings;
  std::vector<float> idf;
  uint32_t df_cap = 0;
  BlockStats stats;
};

}  // namespace mgeo::link
