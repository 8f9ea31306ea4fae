// experiments/link/blocking_bench.cpp — mgeo-blocking-bench: candidate generation against a
// synthetic master list, on one thread.
//
// Makes a link set (synth::make_link_set: --masters, --queries, --seed, --near-miss),
// builds a link::BlockIndex over the masters, then asks candidates() for every query, once
// with k = 10 (timed: the rate reported) and once with k = 50 (for the recall curve).
// Prints one JSON object on stdout: sizes, seconds to make the set and build the index,
// the index's own bytes per master row and the process's peak RSS, candidates per query,
// queries a second, candidate recall at k in {1, 5, 10, 20, 50} over the queries that have
// a true master, the reduction ratio at k = 10, and for each pass the share of true
// masters it found (within the k = 50 list); with --lexical-only 1 (the default) also the
// recall curve of the lexical pass alone, from a second index without key passes.
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"
#include "mgeo/link/block_index.h"
#include "mgeo/synth/link_set.h"
#include "mgeo/util/timer.h"

namespace {

struct Args {
  long masters = 500000, queries = 100000, seed = 7;
  double near_miss = 0.3;
  long lexical_only = 1, posting_budget = 4000, keyed_budget = 250, df_cap = 0, ngram = 3;
};

[[noreturn]] void usage(const std::string& msg) {
  std::cerr << "mgeo-blocking-bench: " << msg
            << "\nusage: mgeo-blocking-bench [--masters N] [--queries M] [--seed S] [--near-miss F]"
               " [--lexical-only 0|1] [--posting-budget B] [--keyed-budget B] [--df-cap C] [--ngram 3|2]\n";
  std::exit(2);
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    if (f == "-h" || f == "--help") usage("help");
    if (i + 1 >= argc) usage(f + " needs a value");
    const char* v = argv[++i];
    char* end = nullptr;
    const double x = std::strtod(v, &end);
    if (end == v || *end != '\0' || x < 0) usage(f + ": bad value '" + v + "'");
    if (f == "--masters") a.masters = static_cast<long>(x);
    else if (f == "--queries") a.queries = static_cast<long>(x);
    else if (f == "--seed") a.seed = static_cast<long>(x);
    else if (f == "--near-miss") a.near_miss = x;
    else if (f == "--posting-budget") a.posting_budget = static_cast<long>(x);
    else if (f == "--lexical-only") a.lexical_only = static_cast<long>(x);
    else if (f == "--keyed-budget") a.keyed_budget = static_cast<long>(x);
    else if (f == "--df-cap") a.df_cap = static_cast<long>(x);
    else if (f == "--ngram") a.ngram = static_cast<long>(x);
    else usage("unknown flag " + f);
  }
  if (a.masters < 1) usage("--masters must be >= 1");
  return a;
}

long peak_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mgeo;
  const Args args = parse_args(argc, argv);
  const synth::Divisions divisions = synth::Divisions::load(synth::default_divisions_dir());
  const address::Parser parser(divisions);

  Stopwatch clock;
  const synth::LinkSet set = synth::make_link_set(divisions, static_cast<uint64_t>(args.seed), args.masters,
                                                  args.queries, args.near_miss);
  const double make_s = clock.seconds();
  std::vector<std::string> ids, texts;
  for (const auto& m : set.masters) {
    ids.push_back(m.id);
    texts.push_back(m.address);
  }
  link::BlockOptions options;
  options.posting_budget = static_cast<uint32_t>(args.posting_budget);
  options.keyed_budget = static_cast<uint32_t>(args.keyed_budget);
  options.df_cap = static_cast<uint32_t>(args.df_cap);
  options.ngram = static_cast<int>(args.ngram);
  clock = Stopwatch();
  const link::BlockIndex index(parser, ids, texts, options);
  const double build_s = clock.seconds();

  // Timed: k = 10, parse and normalize included.
  uint64_t total10 = 0;
  clock = Stopwatch();
  for (const auto& q : set.queries) total10 += index.candidates(q.address, 10).size();
  const double query_s = clock.seconds();

  // Recall curve from the k = 50 lists (a k-list is the prefix of the 50-list).
  const std::vector<std::size_t> ks = {1, 5, 10, 20, 50};
  std::vector<uint64_t> hits(ks.size(), 0);
  uint64_t with_truth = 0, total50 = 0;
  std::vector<uint64_t> by_pass(link::kPassCount, 0);
  clock = Stopwatch();
  for (const auto& q : set.queries) {
    const std::vector<link::Candidate> c = index.candidates(q.address, 50);
    total50 += c.size();
    if (q.master < 0) continue;
    ++with_truth;
    for (std::size_t r = 0; r < c.size(); ++r) {
      if (c[r].master != static_cast<uint32_t>(q.master)) continue;
      for (std::size_t j = 0; j < ks.size(); ++j) hits[j] += r < ks[j];
      for (int p = 0; p < link::kPassCount; ++p) by_pass[static_cast<std::size_t>(p)] += (c[r].found_by >> p) & 1u;
      break;
    }
  }
  const double query50_s = clock.seconds();

  // The lexical pass alone (an index with no key passes): what it finds when keys fail.
  std::string lexical_only;
  if (args.lexical_only) {
    link::BlockOptions lex = options;
    lex.passes = link::kLexical;
    const link::BlockIndex lindex(parser, ids, texts, lex);
    std::vector<uint64_t> lhits(ks.size(), 0);
    clock = Stopwatch();
    for (const auto& q : set.queries) {
      const std::vector<link::Candidate> c = lindex.candidates(q.address, 50);
      if (q.master < 0) continue;
      for (std::size_t r = 0; r < c.size(); ++r) {
        if (c[r].master != static_cast<uint32_t>(q.master)) continue;
        for (std::size_t j = 0; j < ks.size(); ++j) lhits[j] += r < ks[j];
        break;
      }
    }
    const double lex_s = clock.seconds();
    for (std::size_t j = 0; j < ks.size(); ++j) {
      lexical_only += fmt::format("\"{}\": {:.5f}, ", ks[j],
                                  static_cast<double>(lhits[j]) / std::max<double>(1.0, static_cast<double>(with_truth)));
    }
    lexical_only = fmt::format(",\n \"lexical_only\": {{\"recall_at_k\": {{{}}}, \"queries_per_s_k50\": {:.0f}}}",
                               lexical_only.substr(0, lexical_only.size() - 2),
                               static_cast<double>(set.queries.size()) / lex_s);
  }

  const auto& st = index.stats();
  const double nq = static_cast<double>(set.queries.size());
  const double truth = std::max<double>(1.0, static_cast<double>(with_truth));
  std::string recall, passes;
  for (std::size_t j = 0; j < ks.size(); ++j) {
    recall += fmt::format("{}\"{}\": {:.5f}", j ? ", " : "", ks[j], static_cast<double>(hits[j]) / truth);
  }
  for (int p = 0; p < link::kPassCount; ++p) {
    passes += fmt::format("{}\"{}\": {:.5f}", p ? ", " : "", link::pass_name(p),
                          static_cast<double>(by_pass[static_cast<std::size_t>(p)]) / truth);
  }
  fmt::print(
      "{{\"masters\": {}, \"queries\": {}, \"queries_with_truth\": {}, \"seed\": {}, \"near_miss_fraction\": {},\n"
      " \"options\": {{\"block_cap\": {}, \"ngram\": {}, \"df_cap\": {}, \"posting_budget\": {}, \"keyed_budget\": {}}},\n"
      " \"make_set_s\": {:.3f}, \"index_build_s\": {:.3f}, \"index_build_masters_per_s\": {:.0f},\n"
      " \"index_bytes\": {}, \"index_bytes_per_master\": {:.1f}, \"grams\": {}, \"postings\": {},\n"
      " \"key_entries\": {{\"district_road_number\": {}, \"city_road_number\": {}, \"district_poi\": {}}},\n"
      " \"peak_rss_mb\": {:.1f},\n"
      " \"k10\": {{\"seconds\": {:.3f}, \"queries_per_s\": {:.0f}, \"candidates_per_query\": {:.3f}, "
      "\"reduction_ratio\": {:.9f}}},\n"
      " \"k50\": {{\"seconds\": {:.3f}, \"queries_per_s\": {:.0f}, \"candidates_per_query\": {:.3f}}},\n"
      " \"build_plus_queries_per_s\": {:.0f},\n"
      " \"recall_at_k\": {{{}}},\n \"true_master_found_by\": {{{}}}{}}}\n",
      set.masters.size(), set.queries.size(), with_truth, args.seed, args.near_miss, options.block_cap,
      options.ngram, options.df_cap != 0 ? options.df_cap : std::max<uint32_t>(2000, static_cast<uint32_t>(set.masters.size() / 100)),
      options.posting_budget, options.keyed_budget, make_s, build_s, static_cast<double>(set.masters.size()) / build_s, st.bytes,
      static_cast<double>(st.bytes) / static_cast<double>(set.masters.size()), st.grams, st.postings,
      st.key_entries[0], st.key_entries[1], st.key_entries[2], static_cast<double>(peak_rss_kb()) / 1024.0, query_s,
      nq / query_s, static_cast<double>(total10) / nq,
      1.0 - static_cast<double>(total10) / (nq * static_cast<double>(set.masters.size())), query50_s,
      nq / query50_s, static_cast<double>(total50) / nq, nq / (build_s + query_s), recall, passes, lexical_only);
  return 0;
}
