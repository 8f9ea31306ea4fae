#include "mgeo/eval/eval_job.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "../dist/mpi_env.h"
#include "../model/test_util.h"
#include "mgeo/pipeline/score_job.h"
#include "mgeo/util/error.h"

namespace mgeo::eval {
namespace {

using model::test::TempDir;
using model::test::write_file;

const std::string kModel = std::string(MGEO_SOURCE_DIR) + "/data/models/tiny-random";

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

TEST(MapLabels, TrimsAndCountsUnknownValues) {
  const auto got = map_labels({"exact_match", " not_match\t", "", "same", "same", "EXACT_MATCH"},
                              {"not_match", "partial_match", "exact_match"});
  EXPECT_EQ(got.ids, (std::vector<int>{2, 0, -1, -1, -1, -1}));
  EXPECT_EQ(got.unknown, (std::map<std::string, int64_t>{{"EXACT_MATCH", 1}, {"same", 2}}));
}

class EvalJob : public ::testing::Test {
 protected:
  EvalJobOptions options(const std::string& input) const {
    EvalJobOptions o;
    o.model_dir = kModel;
    o.input = input;
    o.out_dir = dir_.file("out");
    o.device = "cpu";
    o.threads = 1;
    o.batch_size = 4;
    o.quiet = true;
    return o;
  }
  TempDir dir_;
};

TEST_F(EvalJob, CountsFlaggedAndUnlabelledRowsAndWritesOutputs) {
  const auto input = dir_.file("pairs.csv");
  write_file(input,
             "id,addr1,addr2,label\n"
             "a1,北京市海淀区中关村大街1号,北京海淀中关村大街1号,exact_match\n"
             "a2,上海市浦东新区世纪大道100号,广州市天河区体育西路3号,not_match\n"
             "a3,浙江省杭州市西湖区文三路90号,杭州市西湖区文三路90号2幢,partial_match\n"
             "a4,,杭州市西湖区文三路90号,exact_match\n"
             "a5,成都市武侯区人民南路4段1号,成都武侯人民南路四段1号,\n"
             "a6,南京市鼓楼区中山路1号,南京鼓楼中山路1号,same\n"
             "a1,北京市海淀区中关村大街1号,北京市海淀区中关村大街一号, exact_match \n");
  const auto comm = dist::test_support::world();
  run_eval_job(options(input), comm);

  const auto j = nlohmann::json::parse(read_all(dir_.file("out/eval.json")));
  EXPECT_EQ(j["rows"], 7);
  EXPECT_EQ(j["model"], kModel);
  EXPECT_EQ(j["input"], input);
  EXPECT_EQ(j["counts"]["evaluated"], 4);  // a1, a2, a3 and the repeated a1
  EXPECT_EQ(j["counts"]["flagged"], 1);    // a4: empty address
  EXPECT_EQ(j["counts"]["unlabelled"], 2);  // a5 empty, a6 unknown
  EXPECT_EQ(j["counts"]["status"]["duplicate_id"], 1);
  EXPECT_EQ(j["counts"]["status"]["empty_address"], 1);
  EXPECT_EQ(j["counts"]["unknown_label_values"]["same"], 1);
  EXPECT_EQ(j["metrics"]["rows"], 4);
  EXPECT_EQ(j["metrics"]["binary"]["match_label"], "exact_match");
  EXPECT_EQ(j["metrics"]["binary"]["positives"], 2);
  EXPECT_EQ(j["scoring"]["pairs"], 6);

  // scores.csv is exactly what `score` writes for the same input.
  pipeline::ScoreJobOptions so;
  so.model_dir = kModel, so.input = input, so.output = dir_.file("score.csv");
  so.device = "cpu", so.threads = 1, so.batch_size = 4, so.quiet = true;
  pipeline::run_score_job(so, comm);
  EXPECT_EQ(read_all(dir_.file("out/scores.csv")), read_all(so.output));
  EXPECT_FALSE(read_all(dir_.file("score.csv.metrics.json")).empty());

  const auto png = read_all(dir_.file("out/eval.png"));
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
}

TEST_F(EvalJob, InputWithoutLabelColumnNamesTheFile) {
  const auto input = dir_.file("nolabel.csv");
  write_file(input, "id,addr1,addr2\na1,北京市海淀区中关村大街1号,北京海淀中关村大街1号\n");
  try {
    run_eval_job(options(input), dist::test_support::world());
    FAIL() << "expected mgeo::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(input), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("label"), std::string::npos) << e.what();
  }
}

TEST_F(EvalJob, NothingToEvaluateIsAnError) {
  const auto input = dir_.file("unlabelled.csv");
  write_file(input, "id,addr1,addr2,label\na1,北京市海淀区中关村大街1号,北京海淀中关村大街1号,\n");
  EXPECT_THROW(run_eval_job(options(input), dist::test_support::world()), Error);
}

TEST_F(EvalJob, UnknownMatchLabelIsAnError) {
  const auto input = dir_.file("pairs.csv");
  write_file(input, "id,addr1,addr2,label\na1,北京市海淀区中关村大街1号,北京海淀中关村大街1号,exact_match\n");
  auto o = options(input);
  o.match_label = "same_place";
  EXPECT_THROW(run_eval_job(o, dist::test_support::world()), Error);
}

}  // namespace
}  // namespace mgeo::eval
