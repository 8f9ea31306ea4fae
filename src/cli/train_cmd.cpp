#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

#include "mgeo/cli/collective.h"
#include "mgeo/cli/commands.h"
#include "mgeo/dist/comm.h"
#include "mgeo/train/trainer.h"

namespace mgeo::cli {
namespace {

struct TrainArgs {
  std::string config;
  std::vector<std::string> overrides;
  std::string output, train_file, init;
  int64_t max_steps = -1, batch_size = -1, epochs = -1;
  train::RunOptions run;
};

void run(const TrainArgs& a) {
  auto overrides = a.overrides;
  if (!a.output.empty()) overrides.push_back("train.output=" + a.output);
  if (!a.train_file.empty()) overrides.push_back("data.train=" + a.train_file);
  if (!a.init.empty()) overrides.push_back("model.init=" + a.init);
  if (a.max_steps >= 0) overrides.push_back(fmt::format("train.max_steps={}", a.max_steps));
  if (a.batch_size >= 0) overrides.push_back(fmt::format("train.batch_size={}", a.batch_size));
  if (a.epochs >= 0) overrides.push_back(fmt::format("train.epochs={}", a.epochs));
  run_collective([&](const dist::Communicator& comm) {
    const auto opts = train::load_train_options(a.config, overrides);
    if (comm.rank() == 0 && !a.run.quiet) fmt::print(stderr, "train: config {}\n{}", a.config, train::to_yaml(opts));
    train::run_training(opts, a.run, comm);
  });
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "Train or fine-tune a pair classifier, data-parallel under mpirun");
  cmd->add_option("--config", a->config, "Training config (configs/train-*.yaml)")->required();
  cmd->add_option("--set", a->overrides, "Override a config key: section.key=value (repeatable)");
  cmd->add_option("--output", a->output, "Output directory (train.output)");
  cmd->add_option("--train", a->train_file, "Labelled pairs (data.train)");
  cmd->add_option("--init", a->init, "Model directory to fine-tune (model.init)");
  cmd->add_option("--max-steps", a->max_steps, "Stop after this many steps (train.max_steps)");
  cmd->add_option("--batch-size", a->batch_size, "Global batch size (train.batch_size)");
  cmd->add_option("--epochs", a->epochs, "Epochs (train.epochs)");
  cmd->add_flag("--resume", a->run.resume, "Continue from the latest checkpoint under the output directory");
  cmd->add_option("--device", a->run.device, "auto, cpu or cuda")->capture_default_str();
  cmd->add_option("--threads", a->run.threads, "Intra-op threads per rank (0: cores / ranks)")->capture_default_str();
  cmd->add_option("--stop-after", a->run.stop_after, "Checkpoint and stop at this step (resume later)");
  cmd->add_flag("--quiet", a->run.quiet, "Print nothing but errors");
  cmd->callback([a] { run(*a); });
}

}  // namespace mgeo::cli
