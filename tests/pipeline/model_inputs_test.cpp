// The scoring engine (score, link, dedupe and eval all run it) refuses a vocabulary or a
// --max-length that its model cannot take before it opens the input: the input here does
// not exist, so any later failure would name it instead.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../dist/mpi_env.h"
#include "../model/test_util.h"
#include "mgeo/pipeline/score_job.h"
#include "mgeo/util/error.h"

namespace mgeo::pipeline {
namespace {

namespace fs = std::filesystem;
using model::test::error_of;
using model::test::expect_contains;
using model::test::TempDir;

const std::string kModel = std::string(MGEO_SOURCE_DIR) + "/data/models/tiny-random";  // 5466 ids, 512 positions

ScoreJobOptions job(const std::string& model_dir, const TempDir& dir) {
  ScoreJobOptions o;
  o.model_dir = model_dir, o.input = dir.file("absent.csv"), o.output = dir.file("unused.csv");
  o.device = "cpu", o.threads = 1, o.quiet = true;
  return o;
}

TEST(ModelInputs, VocabularyLargerThanTheEmbeddingIsRefusedAtStart) {
  TempDir dir;
  const auto model = dir.file("model");
  fs::copy(kModel, model);
  {
    std::ofstream vocab(model + "/vocab.txt", std::ios::app);
    vocab << "extra-token-a\nextra-token-b\n";
  }
  const auto message = error_of([&] { score_pairs(job(model, dir), dist::test_support::world(), nullptr); });
  expect_contains(message, {model + "/vocab.txt", "5468 tokens", model + "/config.json", "'vocab_size' is 5466"});
}

TEST(ModelInputs, MaxLengthAboveThePositionsIsRefusedAtStart) {
  TempDir dir;
  auto o = job(kModel, dir);
  o.max_length = 513;
  expect_contains(error_of([&] { score_pairs(o, dist::test_support::world(), nullptr); }),
                  {"--max-length 513", "512 positions", "max_position_embeddings"});
  o.max_length = 2;
  expect_contains(error_of([&] { score_pairs(o, dist::test_support::world(), nullptr); }), {"--max-length 2"});
}

}  // namespace
}  // namespace mgeo::pipeline
