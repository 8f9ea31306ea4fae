// experiments/bench/tokenizer_bench.cpp — mgeo-tokenizer-bench: single-thread throughput of
// BertTokenizer::encode_pair over the address pairs of a CSV.
//
// Measures: --repeat passes of one encode_pair(addr1, addr2, max_length) per row, on the
// calling thread only; the timer covers just that loop (file reading, id writing and
// tokenizer construction are outside it). Prints one JSON object on stdout: pairs, total
// ids, best/median seconds, pairs/s and MB/s of input text (addr1+addr2 bytes), both from
// the best pass. Tokenizer options are the defaults (lowercase, strip accents, CJK padding),
// i.e. HF BertTokenizerFast(vocab_file) with do_lower_case=True.
// Input: any pairs file the scoring job reads (.csv/.tsv/.h5, io/pair_source.h); flagged rows
// are skipped and counted on stderr. --ids-out writes each pair's
// input_ids as one line of space-separated ints, in input order, for an equality check.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "mgeo/io/pair_source.h"
#include "mgeo/text/tokenizer.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace {

struct Args {
  std::string vocab, input, ids_out;
  int max_length = 128;
  int repeat = 5;
};

struct Pair {
  std::string a, b;
};

[[noreturn]] void usage(const char* msg) {
  std::cerr << "mgeo-tokenizer-bench: " << msg
            << "\nusage: mgeo-tokenizer-bench --vocab FILE --input CSV [--max-length N] [--repeat N]"
               " [--ids-out FILE]\n";
  std::exit(2);
}

int parse_int(const std::string& flag, const char* v, int min) {
  char* end = nullptr;
  const long x = std::strtol(v, &end, 10);
  if (end == v || *end != '\0' || x < min || x > 1000000) usage((flag + ": bad value '" + v + "'").c_str());
  return static_cast<int>(x);
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    if (f == "-h" || f == "--help") usage("help");
    if (i + 1 >= argc) usage((f + " needs a value").c_str());
    const char* v = argv[++i];
    if (f == "--vocab") a.vocab = v;
    else if (f == "--input") a.input = v;
    else if (f == "--ids-out") a.ids_out = v;
    else if (f == "--max-length") a.max_length = parse_int(f, v, 3);
    else if (f == "--repeat") a.repeat = parse_int(f, v, 1);
    else usage(("unknown option " + f).c_str());
  }
  if (a.vocab.empty() || a.input.empty()) usage("--vocab and --input are required");
  return a;
}

// The ok rows' addresses, read with the scoring job's reader; flagged rows are counted out.
std::vector<Pair> read_pairs(const std::string& path) {
  auto source = mgeo::io::PairSource::open(path);
  std::vector<Pair> pairs;
  int64_t flagged = 0;
  for (auto& r : source->read(0, source->size())) {
    if (r.status != mgeo::io::RowStatus::ok) {
      ++flagged;
      continue;
    }
    pairs.push_back({std::move(r.addr1), std::move(r.addr2)});
  }
  if (flagged > 0) std::cerr << "mgeo-tokenizer-bench: " << path << ": skipped " << flagged << " flagged rows\n";
  return pairs;
}

int run(const Args& args) {
  const std::vector<Pair> pairs = read_pairs(args.input);
  MGEO_CHECK(!pairs.empty(), "{}: no pairs", args.input);
  const mgeo::text::BertTokenizer tok(mgeo::text::Vocab::load(args.vocab));
  std::size_t bytes = 0;
  for (const Pair& p : pairs) bytes += p.a.size() + p.b.size();

  // Warm-up pass (thread-local scratch, caches); it also yields the ids and the checksum.
  std::size_t total_ids = 0;
  std::ofstream ids_out;
  if (!args.ids_out.empty()) {
    ids_out.open(args.ids_out, std::ios::binary);
    MGEO_CHECK(ids_out, "cannot write {}", args.ids_out);
  }
  std::string buf;
  for (const Pair& p : pairs) {
    const auto e = tok.encode_pair(p.a, p.b, args.max_length);
    total_ids += e.input_ids.size();
    if (ids_out.is_open()) {
      buf.clear();
      for (std::size_t i = 0; i < e.input_ids.size(); ++i) {
        if (i) buf.push_back(' ');
        buf += std::to_string(e.input_ids[i]);
      }
      buf.push_back('\n');
      ids_out << buf;
    }
  }
  if (ids_out.is_open()) {
    ids_out.close();
    MGEO_CHECK(ids_out, "error writing {}", args.ids_out);
  }

  std::vector<double> secs;
  for (int r = 0; r < args.repeat; ++r) {
    std::size_t n = 0;
    mgeo::Stopwatch sw;
    for (const Pair& p : pairs) n += tok.encode_pair(p.a, p.b, args.max_length).input_ids.size();
    secs.push_back(sw.seconds());
    MGEO_CHECK(n == total_ids, "non-deterministic: pass {} gave {} ids, warm-up {}", r, n, total_ids);
  }
  std::vector<double> sorted = secs;
  std::sort(sorted.begin(), sorted.end());
  const double best = sorted.front();
  const std::size_t m = sorted.size();
  const double median = m % 2 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
  std::string runs;
  for (std::size_t i = 0; i < secs.size(); ++i) runs += fmt::format("{}{:.6f}", i ? ", " : "", secs[i]);
  std::cout << fmt::format(
      "{{\"impl\": \"mgeo BertTokenizer::encode_pair\", \"pairs\": {}, \"total_ids\": {}, \"input_bytes\": {}, "
      "\"max_length\": {}, \"repeat\": {}, \"seconds_best\": {:.6f}, \"seconds_median\": {:.6f}, "
      "\"seconds_all\": [{}], \"pairs_per_s\": {:.1f}, \"mb_per_s\": {:.3f}}}\n",
      pairs.size(), total_ids, bytes, args.max_length, args.repeat, best, median, runs,
      static_cast<double>(pairs.size()) / best, static_cast<double>(bytes) / 1e6 / best);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  try {
    return run(args);
  } catch (const std::exception& e) {
    std::cerr << "mgeo-tokenizer-bench: " << e.what() << "\n";
    return 1;
  }
}
