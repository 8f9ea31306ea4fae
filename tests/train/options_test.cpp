#include "mgeo/train/options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "mgeo/util/error.h"

namespace mgeo::train {
namespace {

class OptionsTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override { ::unlink(path_.c_str()); }
  std::string path_ = "/tmp/mgeo-train-options-" + std::to_string(::getpid()) + ".yaml";
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const char* kMinimal = "model:\n  vocab: v.txt\ndata:\n  train: t.csv\ntrain:\n  output: out\n";

TEST_F(OptionsTest, ReadsValuesAndDefaults) {
  const auto o = load_train_options(write(std::string(kMinimal) + "  lr: 0.001\n  batch_size: 32\n"));
  EXPECT_EQ(o.vocab, "v.txt");
  EXPECT_EQ(o.train_file, "t.csv");
  EXPECT_DOUBLE_EQ(o.lr, 0.001);
  EXPECT_EQ(o.batch_size, 32);
  EXPECT_EQ(o.layers, 4);  // default
  EXPECT_EQ(o.labels, (std::vector<std::string>{"not_match", "partial_match", "exact_match"}));
}

TEST_F(OptionsTest, OverridesWin) {
  const auto o = load_train_options(write(kMinimal), {"train.lr=0.5", "model.labels=[a, b]", "train.output=x"});
  EXPECT_DOUBLE_EQ(o.lr, 0.5);
  EXPECT_EQ(o.labels, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(o.output, "x");
}

TEST_F(OptionsTest, SavedYamlReadsBackTheSame) {
  const auto a = load_train_options(write(kMinimal), {"train.lr=0.25", "model.layers=3"});
  const auto b = load_train_options(write(to_yaml(a)));
  EXPECT_EQ(to_yaml(a), to_yaml(b));
}

TEST_F(OptionsTest, ErrorsNameFileLineAndKey) {
  const auto p = write(std::string(kMinimal) + "  learning_rate: 1\n");
  auto m = message_of([&] { load_train_options(p); });
  EXPECT_NE(m.find(p + ":7"), std::string::npos) << m;
  EXPECT_NE(m.find("train.learning_rate"), std::string::npos) << m;
  m = message_of([&] { load_train_options(write(std::string(kMinimal) + "  lr: fast\n")); });
  EXPECT_NE(m.find("train.lr"), std::string::npos) << m;
  m = message_of([&] { load_train_options(write("model:\n  vocab: v\ntrain:\n  output: o\n")); });
  EXPECT_NE(m.find("data.train"), std::string::npos) << m;
  m = message_of([&] { load_train_options(write(kMinimal), {"model.heads=3"}); });
  EXPECT_NE(m.find("multiple of model.heads"), std::string::npos) << m;
  EXPECT_THROW(load_train_options("/nonexistent/x.yaml"), Error);
  EXPECT_THROW(load_train_options(write(kMinimal), {"no-equals"}), Error);
}

}  // namespace
}  // namespace mgeo::train
