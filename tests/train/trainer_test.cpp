#include "mgeo/train/trainer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../dist/mpi_env.h"
#include "../model/test_util.h"
#include "mgeo/util/error.h"

namespace mgeo::train {
namespace {

namespace fs = std::filesystem;
using model::test::error_of;
using model::test::expect_contains;
using model::test::TempDir;

const std::string kModel = std::string(MGEO_SOURCE_DIR) + "/data/models/tiny-random";  // 5466 ids, 512 positions

// Fine-tuning checks the model's vocabulary and data.max_length against the model before
// it reads the training pairs (the file here does not exist, so a later failure names it).
struct FineTune {
  TempDir dir;
  TrainOptions o;
  RunOptions run;
  FineTune() {
    o.init = dir.file("model");
    fs::copy(kModel, o.init);
    o.train_file = dir.file("absent.csv");
    o.output = dir.file("out");
    o.source = "train.yaml";
    run.device = "cpu", run.threads = 1, run.quiet = true;
  }
  std::string error() const {
    return error_of([&] { run_training(o, run, dist::test_support::world()); });
  }
};

TEST(Trainer, VocabularyLargerThanTheEmbeddingIsRefusedAtStart) {
  FineTune t;
  std::ofstream(t.o.init + "/vocab.txt", std::ios::app) << "extra-token\n";
  expect_contains(t.error(), {t.o.init + "/vocab.txt", "5467 tokens", "'vocab_size' is 5466"});
}

TEST(Trainer, MaxLengthAboveThePositionsIsRefusedAtStart) {
  FineTune t;
  t.o.max_length = 600;
  expect_contains(t.error(), {"train.yaml: data.max_length 600", "512 positions"});
}

}  // namespace
}  // namespace mgeo::train
