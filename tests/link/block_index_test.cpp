#include "mgeo/link/block_index.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "mgeo/address/parser.h"
#include "mgeo/synth/divisions.h"
#include "mgeo/synth/link_set.h"

namespace mgeo::link {
namespace {

const synth::Divisions& divisions() {
  static const synth::Divisions d = synth::Divisions::load(MGEO_SOURCE_DIR "/data/divisions");
  return d;
}

const address::Parser& parser() {
  static const address::Parser p(divisions());
  return p;
}

BlockIndex make_index(const std::vector<std::string>& texts, BlockOptions options = {}) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < texts.size(); ++i) ids.push_back("m" + std::to_string(i));
  return BlockIndex(parser(), ids, texts, options);
}

const std::vector<std::string>& masters() {
  static const std::vector<std::string> v = {
      "浙江省杭州市西湖区文三路8号万科花园3栋",   // 0
      "浙江省杭州市西湖区文三路88号",             // 1
      "浙江省杭州市西湖区文二路8号",              // 2
      "浙江省杭州市拱墅区文三路8号",              // 3
      "江苏省南京市玄武区中山路8号",              // 4
      "浙江省杭州市西湖区中山路8号",              // 5
      "广东省广州市天河区体育西路100号金地大厦A座",  // 6
  };
  return v;
}

const Candidate* find(const std::vector<Candidate>& c, uint32_t master) {
  for (const Candidate& x : c) {
    if (x.master == master) return &x;
  }
  return nullptr;
}

TEST(BlockIndex, DistrictRoadNumberFindsTheMasterFirst) {
  const BlockIndex index = make_index(masters());
  const auto c = index.candidates("杭州西湖区文三路８号3幢", 10);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].master, 0u);
  EXPECT_TRUE(c[0].found_by & kDistrictRoadNumber);
  EXPECT_TRUE(c[0].found_by & kCityRoadNumber);
  EXPECT_EQ(index.id(c[0].master), "m0");
  // Other numbers and roads are no key hits; the same road and number one district over
  // (拱墅区) is found by the city pass alone, and ranks below.
  for (const Candidate& x : c) {
    if (x.master == 3) {
      EXPECT_EQ(x.found_by & (kDistrictRoadNumber | kCityRoadNumber), kCityRoadNumber);
    } else if (x.master != 0) {
      EXPECT_EQ(x.found_by & (kDistrictRoadNumber | kCityRoadNumber), 0) << x.master;
    }
  }
}

TEST(BlockIndex, CityRoadNumberFindsAMasterWhenTheDistrictIsDropped) {
  const BlockIndex index = make_index(masters());
  const auto c = index.candidates("浙江省杭州市文二路8号", 10);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].master, 2u);
  EXPECT_TRUE(c[0].found_by & kCityRoadNumber);
  EXPECT_FALSE(c[0].found_by & kDistrictRoadNumber);
}

TEST(BlockIndex, DistrictPoiFindsAMasterWithoutRoad) {
  const BlockIndex index = make_index(masters());
  const auto c = index.candidates("杭州市西湖区万科花园3栋", 10);
  const Candidate* hit = find(c, 0);
  ASSERT_NE(hit, nullptr);
  EXPECT_TRUE(hit->found_by & kDistrictPoi);
  EXPECT_EQ(c[0].master, 0u);
}

TEST(BlockIndex, EmptyKeysNeverBlock) {
  // Neither the masters nor the query say a number: no key pass may put them together.
  const BlockIndex index = make_index({"浙江省杭州市西湖区文三路", "浙江省杭州市西湖区文三路", "浙江省杭州市西湖区"});
  EXPECT_EQ(index.stats().key_entries[0], 0u);
  EXPECT_EQ(index.stats().key_entries[1], 0u);
  EXPECT_EQ(index.stats().key_entries[2], 0u);
  for (const Candidate& x : index.candidates("浙江省杭州市西湖区文三路", 10)) {
    EXPECT_EQ(x.found_by, kLexical) << x.master;
  }
  EXPECT_TRUE(index.candidates("", 10).empty());
}

TEST(BlockIndex, OversizeBlocksFallBackToTheLexicalPass) {
  std::vector<std::string> texts;
  for (int room = 0; room < 80; ++room) texts.push_back("浙江省杭州市西湖区文三路8号" + std::to_string(1001 + room) + "室");
  BlockOptions small;
  small.block_cap = 64;
  const auto c = make_index(texts, small).candidates("杭州市西湖区文三路8号1005室", 10);
  ASSERT_EQ(c.size(), 10u);
  for (const Candidate& x : c) EXPECT_EQ(x.found_by & (kDistrictRoadNumber | kCityRoadNumber), 0) << x.master;
  EXPECT_EQ(c[0].master, 4u);  // the lexical pass still ranks the exact room first
  BlockOptions large;
  large.block_cap = 100;
  const auto d = make_index(texts, large).candidates("杭州市西湖区文三路8号1005室", 10);
  ASSERT_EQ(d.size(), 10u);
  for (const Candidate& x : d) EXPECT_TRUE(x.found_by & kDistrictRoadNumber) << x.master;
}

TEST(BlockIndex, ProvinceConflictsAreDropped) {
  const BlockIndex index = make_index(masters());
  const auto c = index.candidates("江苏省南京市中山路8号", 10);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].master, 4u);
  for (const Candidate& x : c) {
    EXPECT_NE(index.id(x.master).substr(0, 1), "");
    EXPECT_NE(x.master, 5u) << "浙江 中山路8号 conflicts with 江苏";
    EXPECT_NE(x.master, 0u);
  }
  // Without a province the 浙江 one is a fair candidate.
  EXPECT_NE(find(index.candidates("中山路8号", 10), 5), nullptr);
}

TEST(BlockIndex, PassesCanBeSwitchedOff) {
  BlockOptions lexical;
  lexical.passes = kLexical;
  const auto c = make_index(masters(), lexical).candidates("杭州西湖区文三路8号3栋", 10);
  EXPECT_NE(find(c, 0), nullptr);
  for (const Candidate& x : c) EXPECT_EQ(x.found_by, kLexical);
  BlockOptions keys;
  keys.passes = kDistrictRoadNumber | kCityRoadNumber | kDistrictPoi;
  for (const Candidate& x : make_index(masters(), keys).candidates("杭州西湖区文三路8号3栋", 10)) {
    EXPECT_EQ(x.found_by & kLexical, 0);
  }
}

TEST(BlockIndex, CutsAtK) {
  const BlockIndex index = make_index(masters());
  EXPECT_LE(index.candidates("浙江省杭州市西湖区文三路8号", 2).size(), 2u);
  EXPECT_TRUE(index.candidates("浙江省杭州市西湖区文三路8号", 0).empty());
}

TEST(BlockIndex, DeterministicAndThreadSafe) {
  const synth::LinkSet set = synth::make_link_set(divisions(), 3, 300, 100);
  std::vector<std::string> ids, texts;
  for (const auto& m : set.masters) {
    ids.push_back(m.id);
    texts.push_back(m.address);
  }
  const BlockIndex a(parser(), ids, texts), b(parser(), ids, texts);
  EXPECT_EQ(a.stats().bytes, b.stats().bytes);
  auto run = [&](const BlockIndex& index, std::vector<std::vector<Candidate>>& out) {
    for (const auto& q : set.queries) out.push_back(index.candidates(q.address, 10));
  };
  std::vector<std::vector<Candidate>> r1, r2, r3;
  std::thread t([&] { run(a, r2); });
  run(a, r1);
  t.join();
  run(b, r3);
  ASSERT_EQ(r1.size(), r2.size());
  for (std::size_t i = 0; i < r1.size(); ++i) {
    ASSERT_EQ(r1[i].size(), r2[i].size());
    ASSERT_EQ(r1[i].size(), r3[i].size());
    for (std::size_t j = 0; j < r1[i].size(); ++j) {
      EXPECT_EQ(r1[i][j].master, r2[i][j].master);
      EXPECT_EQ(r1[i][j].master, r3[i][j].master);
      EXPECT_EQ(r1[i][j].found_by, r3[i][j].found_by);
      EXPECT_EQ(r1[i][j].block_score, r3[i][j].block_score);
    }
  }
}

// Candidate recall on a small synthetic link set: measured 1.000 at k = 10 (seed 1,
// 2,000 masters, 500 queries, 350 of them with a true master); the floor leaves room.
TEST(BlockIndex, CandidateRecallOnASyntheticLinkSet) {
  const synth::LinkSet set = synth::make_link_set(divisions(), 1, 2000, 500);
  std::vector<std::string> ids, texts;
  for (const auto& m : set.masters) {
    ids.push_back(m.id);
    texts.push_back(m.address);
  }
  const BlockIndex index(parser(), ids, texts);
  int truth = 0, hit = 0, hit_keys = 0;
  std::size_t candidates = 0;
  for (const auto& q : set.queries) {
    const auto c = index.candidates(q.address, 10);
    candidates += c.size();
    if (q.master < 0) continue;
    ++truth;
    const Candidate* x = find(c, static_cast<uint32_t>(q.master));
    hit += x != nullptr;
    hit_keys += x != nullptr && (x->found_by & kDistrictRoadNumber);
  }
  ASSERT_GT(truth, 300);
  const double recall = static_cast<double>(hit) / truth;
  EXPECT_GE(recall, 0.99) << hit << " of " << truth;
  EXPECT_GE(static_cast<double>(hit_keys) / truth, 0.97);
  EXPECT_LE(static_cast<double>(candidates) / static_cast<double>(set.queries.size()), 10.0);
}

}  // namespace
}  // namespace mgeo::link
