// data/eval/handwritten.csv: the hand-written evaluation pairs read cleanly and hold the
// cases its README promises, with the labels the generator's rules give them.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "mgeo/io/pair_source.h"

namespace mgeo::io {
namespace {

struct Row {
  std::string id, addr1, addr2, label;
};

std::vector<Row> read_handwritten() {
  const auto src = PairSource::open(std::string(MGEO_SOURCE_DIR) + "/data/eval/handwritten.csv");
  const std::vector<PairRow> rows = src->read(0, src->size());
  const std::vector<std::string> labels = src->read_column("label", 0, src->size());
  std::vector<Row> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].status, RowStatus::ok) << "line " << rows[i].line << " id " << rows[i].id << ": "
                                             << status_name(rows[i].status);
    out.push_back({rows[i].id, rows[i].addr1, rows[i].addr2, labels[i]});
  }
  return out;
}

TEST(Handwritten, RowsAreCleanWithUniqueIdsAndValidLabels) {
  const std::vector<Row> rows = read_handwritten();
  EXPECT_GE(rows.size(), 90u);
  std::set<std::string> ids;
  std::map<std::string, int> per_label;
  for (const Row& r : rows) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id " << r.id;
    EXPECT_TRUE(r.label == "exact_match" || r.label == "partial_match" || r.label == "not_match")
        << r.id << ": label '" << r.label << "'";
    EXPECT_NE(r.addr1, r.addr2) << r.id;
    ++per_label[r.label];
  }
  for (const char* label : {"exact_match", "partial_match", "not_match"}) {
    EXPECT_GE(per_label[label], 20) << label;
  }
}

TEST(Handwritten, NoPairAppearsTwice) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const Row& r : read_handwritten()) {
    EXPECT_TRUE(seen.insert({r.addr1, r.addr2}).second && !seen.count({r.addr2, r.addr1}))
        << r.id << " repeats an earlier pair";
  }
}

TEST(Handwritten, HoldsTheNamedCasesWithTheirLabels) {
  std::map<std::pair<std::string, std::string>, std::string> label_of;
  for (const Row& r : read_handwritten()) label_of[{r.addr1, r.addr2}] = r.label;
  struct Case {
    const char *a, *b, *label;
  };
  const Case cases[] = {
      {"上海市浦东新区张江路123号", "上海浦东张江路123号", "exact_match"},
      {"杭州市西湖区文三路456号万塘大厦B座", "杭州西湖文三路456号万塘大厦B栋", "exact_match"},
      {"北京市海淀区中关村大街８号", "北京市海淀区中关村大街8号", "exact_match"},
      {"北京市朝阳区建国路8号SOHO现代城A座", "北京朝阳建国路8号SOHO现代城A座", "exact_match"},
      {"北京市朝阳区建国路8号SOHO现代城A座", "北京市朝阳区建国路8号soho现代城a座", "exact_match"},
      {"河南省郑州市金水区花园路39号3号楼", "郑州市金水区花园路39号三号楼", "exact_match"},
      {"安徽省合肥市蜀山区长江西路130号7栋", "合肥蜀山长江西路130号7幢", "exact_match"},
      {"湖南省长沙市岳麓区麓山南路932号", "长沙 岳麓 麓山南路932号", "exact_match"},
      {"广州市天河区体育西路1号", "广州市越秀区体育西路1号", "not_match"},
      {"北京市朝阳区建国路8号", "北京市朝阳区建国路88号", "not_match"},
      {"上海市黄浦区中山东一路8号", "上海市黄浦区中山东一路9号", "not_match"},
      {"南京市玄武区中山东路12号", "南京市玄武区中山东路21号", "not_match"},
      {"石家庄市桥西区中山西路88号", "石家庄市桥西区中山东路88号", "not_match"},
      {"杭州市西湖区文三路456号万塘大厦A座", "杭州市西湖区文三路456号万塘大厦B座", "not_match"},
      {"苏州市姑苏区人民路1000号", "无锡市梁溪区人民路1000号", "not_match"},
      {"北京市东城区王府井大街255号", "广州市天河区天河路383号", "not_match"},
      {"北京市丰台区方庄路9号芳城园小区", "北京市丰台区方庄路9号芳城园小区5栋2单元301", "partial_match"},
      {"西安市碑林区友谊西路127号金色家园8号楼", "西安市碑林区友谊西路127号金色家园11号楼", "partial_match"},
      {"杭州市西湖区文三路456号万塘大厦B座", "杭州市西湖区文三路456号万塘大厦B座1101室", "partial_match"},
  };
  for (const Case& c : cases) {
    const auto it = label_of.find({c.a, c.b});
    ASSERT_NE(it, label_of.end()) << "missing pair " << c.a << " / " << c.b;
    EXPECT_EQ(it->second, c.label) << c.a << " / " << c.b;
  }
}

}  // namespace
}  // namespace mgeo::io
