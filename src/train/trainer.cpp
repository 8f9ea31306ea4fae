#include "mgeo/train/trainer.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "mgeo/model/loader.h"
#include "mgeo/pipeline/batcher.h"
#include "mgeo/pipeline/device.h"
#include "mgeo/train/checkpoint_dir.h"
#include "mgeo/train/dataset.h"
#include "mgeo/train/grad_sync.h"
#include "mgeo/train/optim.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace mgeo::train {
namespace fs = std::filesystem;
namespace {

model::ModelConfig new_config(const TrainOptions& o, int64_t vocab_size) {
  model::ModelConfig c;
  c.vocab_size = vocab_size;
  c.hidden_size = o.hidden_size;
  c.num_hidden_layers = o.layers;
  c.num_attention_heads = o.heads;
  c.intermediate_size = o.intermediate_size;
  c.max_position_embeddings = o.max_positions;
  c.hidden_dropout_prob = c.attention_probs_dropout_prob = o.dropout;
  c.id2label = o.labels;
  return c;
}

// BERT's initialisation: N(0, 0.02) weights, zero biases, unit LayerNorm scales.
void init_weights(model::BertClassifierImpl& net, uint64_t seed) {
  torch::NoGradGuard no_grad;
  torch::manual_seed(seed);
  for (auto& item : net.named_parameters()) {
    const auto& name = item.key();
    auto& p = item.value();
    const bool norm = name.find("norm") != std::string::npos;
    const bool bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (bias) p.zero_();
    else if (norm) p.fill_(1.0);
    else p.normal_(0.0, 0.02);
  }
}

struct Batch {
  torch::Tensor ids, types, mask, labels;
};

Batch make_batch(const LabelledPairs& data, const std::vector<int64_t>& order, dist::Range slice,
                 torch::Device device) {
  size_t len = 1;
  for (int64_t i = slice.begin; i < slice.end; ++i) len = std::max(len, data.encodings[order[i]].input_ids.size());
  const int64_t rows = slice.size();
  auto ids = torch::empty({rows, static_cast<int64_t>(len)}, torch::kInt64);
  auto types = torch::empty_like(ids), mask = torch::empty_like(ids);
  auto labels = torch::empty({rows}, torch::kInt64);
  pipeline::pad_rows(data.encodings, order.data() + slice.begin, rows, static_cast<int64_t>(len),
                     ids.data_ptr<int64_t>(), types.data_ptr<int64_t>(), mask.data_ptr<int64_t>());
  for (int64_t r = 0; r < rows; ++r) labels[r] = data.labels[order[slice.begin + r]];
  return {ids.to(device), types.to(device), mask.to(device), labels.to(device)};
}

}  // namespace

void run_training(const TrainOptions& o, const RunOptions& run, const dist::Communicator& comm) {
  Stopwatch wall;
  const bool lead = comm.rank() == 0;
  at::set_num_threads(run.threads > 0 ? run.threads : pipeline::default_threads(comm));
  const auto device = pipeline::pick_device(run.device, comm);

  // Model: fine-tune a checkpoint, resume our own, or start fresh.
  std::optional<std::string> resume_dir;
  if (run.resume) {
    resume_dir = latest_checkpoint(o.output);
    MGEO_CHECK(resume_dir, "--resume: no checkpoint-<step> directory under {}", o.output);
  }
  const std::string weights_dir = resume_dir ? *resume_dir : o.init;
  const std::string vocab = weights_dir.empty() ? o.vocab : (fs::path(weights_dir) / "vocab.txt").string();
  const auto tokenizer = text::BertTokenizer(text::Vocab::load(vocab));
  model::ModelConfig config;
  model::BertClassifier net{nullptr};
  if (weights_dir.empty()) {
    config = new_config(o, tokenizer.vocab().size());
    net = model::BertClassifier(model::BertOptions::from_config(config));
    init_weights(*net, o.seed);
  } else {
    auto loaded = model::load_model_dir(weights_dir);
    model::check_inputs_fit(loaded, {static_cast<int64_t>(tokenizer.vocab().size()), vocab, o.max_length,
                                     o.source + ": data.max_length"});
    config = loaded.config;
    config.hidden_dropout_prob = config.attention_probs_dropout_prob = o.dropout;
    config.num_hidden_layers = config.effective_layers();  // MGeo: the text layers are what is trained and saved
    config.fusion_layer = -1;
    net = model::BertClassifier(model::BertOptions::from_config(config));
    model::load_weights(*net, model::state_dict(*loaded.net), weights_dir);
    // A checkpoint keeps its own label order (id2label); the training labels map onto it by name.
  }
  net->to(device);
  net->train();

  const auto data = load_labelled_pairs(o.train_file, tokenizer, config.id2label, o.max_length);
  const auto n = static_cast<int64_t>(data.size());
  const int64_t spe = steps_per_epoch(n, o.batch_size);
  const int64_t total = o.max_steps > 0 ? o.max_steps : o.epochs * spe;

  std::vector<std::pair<std::string, torch::Tensor>> named;
  std::vector<torch::Tensor> params;
  for (auto& item : net->named_parameters()) named.emplace_back(item.key(), item.value()), params.push_back(item.value());
  AdamWOptions aopts;
  aopts.weight_decay = o.weight_decay;
  AdamW opt(named, aopts);
  int64_t step = 0;
  if (resume_dir) {
    const auto r = read_resume_state(*resume_dir);
    step = r.state["step"].get<int64_t>();
    opt.load_state(r.optimizer, step, *resume_dir);
  }
  GradSync sync(params, comm);
  if (lead && !run.quiet)
    fmt::print(stderr, "train: {} pairs ({} skipped{}{}), {} steps of {} pairs ({} per epoch) on {} rank(s), {}, from {}\n",
               n, data.skipped, data.skipped_examples.empty() ? "" : "; first: ",
               data.skipped_examples.empty() ? "" : data.skipped_examples.front(), total, o.batch_size, spe,
               comm.size(), device.str(), resume_dir ? "checkpoint " + *resume_dir : weights_dir.empty() ? "scratch" : weights_dir);

  std::ofstream log;
  if (lead) {
    fs::create_directories(o.output);
    log.open(fs::path(o.output) / "train_log.jsonl", resume_dir ? std::ios::app : std::ios::trunc);
  }
  const auto yaml = to_yaml(o);
  auto save = [&](const std::string& dir, int64_t at) {
    if (lead) save_checkpoint(dir, {config, *net, opt, vocab, yaml, {{"step", at}, {"world", comm.size()}}});
    comm.barrier();
  };

  std::vector<int64_t> order;
  int64_t order_epoch = -1;
  double loss_sum = 0, correct = 0, seen = 0, epoch_start = wall.seconds();
  std::vector<double> epoch_seconds;
  Stopwatch since_log;
  for (; step < total; ++step) {
    const int64_t epoch = step / spe, b = step % spe;
    if (epoch != order_epoch) order = epoch_order(n, o.seed, epoch), order_epoch = epoch;
    const auto slice = rank_slice(n, o.batch_size, b, comm.rank(), comm.size());
    const double global_rows = static_cast<double>(std::min(o.batch_size, n - b * o.batch_size));
    torch::manual_seed(o.seed * 1000003ull + static_cast<uint64_t>(step) * 131ull + comm.rank());  // dropout
    opt.zero_grad();
    double local_loss = 0, local_correct = 0;
    if (slice.size() > 0) {
      const auto batch = make_batch(data, order, slice, device);
      const auto logits = net->forward(batch.ids, batch.types, batch.mask);
      const auto loss = torch::nn::functional::cross_entropy(
                            logits, batch.labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
                        global_rows;
      loss.backward();
      local_loss = loss.item<double>();
      local_correct = logits.argmax(1).eq(batch.labels).sum().item<double>();
    }
    sync.sum();
    if (o.clip_norm > 0) torch::nn::utils::clip_grad_norm_(params, o.clip_norm);
    const double lr = lr_at(step, o.warmup_steps, total, o.lr);
    opt.step(lr);
    loss_sum += comm.allreduce_sum(local_loss) * global_rows;
    correct += comm.allreduce_sum(local_correct);
    seen += global_rows;
    if (o.check_sync_every > 0 && (step + 1) % o.check_sync_every == 0) sync.check_identical(step + 1);
    const bool epoch_end = b == spe - 1 || step + 1 == total;
    if (epoch_end) epoch_seconds.push_back(wall.seconds() - epoch_start), epoch_start = wall.seconds();
    if ((o.log_every > 0 && (step + 1) % o.log_every == 0) || step + 1 == total) {
      const double rate = seen / std::max(1e-9, since_log.lap());
      if (lead) {
        nlohmann::json j = {{"step", step + 1}, {"epoch", (step + 1.0) / spe}, {"loss", loss_sum / seen},
                            {"accuracy", correct / seen}, {"lr", lr}, {"pairs_per_s", rate}, {"elapsed_s", wall.seconds()}};
        log << j.dump() << "\n" << std::flush;
        if (!run.quiet)
          fmt::print(stderr, "train: step {}/{} epoch {:.2f} loss {:.4f} acc {:.3f} lr {:.2e} {:.0f} pairs/s ETA {:.0f}s\n",
                     step + 1, total, (step + 1.0) / spe, loss_sum / seen, correct / seen, lr, rate,
                     (total - step - 1) * (o.batch_size / std::max(1e-9, rate)));
      }
      loss_sum = correct = seen = 0;
    }
    if (run.stop_after > 0 && step + 1 == run.stop_after && step + 1 < total) {
      save(checkpoint_name(o.output, step + 1), step + 1);
      if (lead && !run.quiet) fmt::print(stderr, "train: stopped at step {} (--stop-after); --resume continues\n", step + 1);
      return;
    }
    if (o.save_every > 0 && (step + 1) % o.save_every == 0 && step + 1 < total)
      save(checkpoint_name(o.output, step + 1), step + 1);
  }
  save(checkpoint_name(o.output, total), total);
  if (lead) {
    // The final model also sits at the top of `output`, where score and eval expect it.
    for (const char* f : {"config.json", "vocab.txt", "model.safetensors"})
      fs::copy_file(fs::path(checkpoint_name(o.output, total)) / f, fs::path(o.output) / f,
                    fs::copy_options::overwrite_existing);
    nlohmann::json m = {{"ranks", comm.size()}, {"device", device.str()}, {"steps", total},
                        {"pairs", n}, {"skipped", data.skipped}, {"batch_size", o.batch_size},
                        {"epoch_seconds", epoch_seconds}, {"allreduce_seconds_rank0", sync.seconds()},
                        {"buckets", sync.buckets()}, {"wall_s", wall.seconds()}};
    std::ofstream(fs::path(o.output) / "train_metrics.json") << m.dump(2) << "\n";
    if (!run.quiet) fmt::print(stderr, "train: wrote {} ({:.1f}s)\n", o.output, wall.seconds());
  }
}

}  // namespace mgeo::train
