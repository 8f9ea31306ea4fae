// experiments/bench/address_bench.cpp — mgeo-address-bench: single-thread throughput of
// address::normalize, Parser::parse and compare.
//
// Measures, on the calling thread only and with the dictionary built beforehand (its load
// and build time is reported apart): --repeat passes of normalize() over every address,
// of parse() over every address, and of compare() over consecutive parsed pairs. Prints
// one JSON object on stdout: addresses, bytes, dictionary size and load seconds, and for
// each operation the best and median pass in seconds and the best rate per second.
// Input: --input FILE, one address a line; or --synth N (the addr1 and addr2 of N
// generated pairs, seed --seed) when no file is given. --parsed-out FILE writes each
// address's JSON line, for a check against another parser.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "mgeo/address/compare.h"
#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"
#include "mgeo/synth/generator.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"

namespace {

struct Args {
  std::string input, parsed_out;
  long synth = 100000;
  long seed = 1;
  int repeat = 5;
};

[[noreturn]] void usage(const std::string& msg) {
  std::cerr << "mgeo-address-bench: " << msg
            << "\nusage: mgeo-address-bench [--input FILE | --synth N] [--seed S] [--repeat N] [--parsed-out FILE]\n";
  std::exit(2);
}

long parse_long(const std::string& flag, const char* v, long min, long max) {
  char* end = nullptr;
  const long x = std::strtol(v, &end, 10);
  if (end == v || *end != '\0' || x < min || x > max) usage(flag + ": bad value '" + v + "'");
  return x;
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    if (f == "-h" || f == "--help") usage("help");
    if (i + 1 >= argc) usage(f + " needs a value");
    const char* v = argv[++i];
    if (f == "--input") a.input = v;
    else if (f == "--parsed-out") a.parsed_out = v;
    else if (f == "--synth") a.synth = parse_long(f, v, 1, 100000000);
    else if (f == "--seed") a.seed = parse_long(f, v, 0, 1L << 40);
    else if (f == "--repeat") a.repeat = static_cast<int>(parse_long(f, v, 1, 1000));
    else usage("unknown flag " + f);
  }
  return a;
}

struct Rate {
  std::vector<double> seconds;
  template <class F>
  void run(int repeat, F&& f) {
    for (int r = 0; r < repeat; ++r) {
      mgeo::Stopwatch t;
      f();
      seconds.push_back(t.seconds());
    }
    std::sort(seconds.begin(), seconds.end());
  }
  std::string json(std::size_t items) const {
    return fmt::format(R"({{"best_s": {:.6f}, "median_s": {:.6f}, "per_s": {:.0f}}})", seconds.front(),
                       seconds[seconds.size() / 2], static_cast<double>(items) / seconds.front());
  }
};

}  // namespace

int main(int argc, char** argv) try {
  const Args args = parse_args(argc, argv);
  mgeo::Stopwatch load;
  mgeo::synth::DivisionsOptions dopt;
  dopt.communities = args.input.empty();  // the generator draws community names
  const mgeo::synth::Divisions d = mgeo::synth::Divisions::load(mgeo::synth::default_divisions_dir(), dopt);
  mgeo::Stopwatch build;
  const mgeo::address::Parser parser(d);
  const double build_s = build.seconds(), load_s = load.seconds();

  std::vector<std::string> lines;
  if (!args.input.empty()) {
    std::ifstream in(args.input);
    if (!in) mgeo::fail("{}: cannot open", args.input);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  } else {
    const mgeo::synth::Generator gen(d, static_cast<uint64_t>(args.seed));
    for (long i = 0; i < args.synth; ++i) {
      const mgeo::synth::Pair p = gen.make(static_cast<uint64_t>(i));
      lines.push_back(p.addr1);
      lines.push_back(p.addr2);
    }
  }
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size();

  std::size_t sink = 0;
  Rate norm, parse, cmp;
  norm.run(args.repeat, [&] {
    for (const auto& l : lines) sink += mgeo::address::normalize(l).size();
  });
  std::vector<mgeo::address::Address> parsed(lines.size());
  parse.run(args.repeat, [&] {
    for (std::size_t i = 0; i < lines.size(); ++i) parsed[i] = parser.parse(lines[i]);
  });
  cmp.run(args.repeat, [&] {
    for (std::size_t i = 0; i + 1 < parsed.size(); i += 2) {
      sink += static_cast<std::size_t>(mgeo::address::compare(parsed[i], parsed[i + 1]).count(mgeo::address::Match::equal));
    }
  });
  if (!args.parsed_out.empty()) {
    std::ofstream out(args.parsed_out);
    for (std::size_t i = 0; i < lines.size(); ++i) out << mgeo::address::to_json(lines[i], parsed[i]) << '\n';
    if (!out) mgeo::fail("{}: write failed", args.parsed_out);
  }
  fmt::print(
      "{{\"addresses\": {}, \"bytes\": {}, \"source\": \"{}\", \"names\": {}, \"trie_nodes\": {}, "
      "\"divisions_load_s\": {:.3f}, \"dictionary_build_s\": {:.3f}, \"repeat\": {}, \"normalize\": {}, "
      "\"parse\": {}, \"compare_pairs\": {}, \"sink\": {}}}\n",
      lines.size(), bytes, args.input.empty() ? fmt::format("synth:{}:{}", args.synth, args.seed) : args.input,
      parser.names(), parser.nodes(), load_s, build_s, args.repeat, norm.json(lines.size()), parse.json(lines.size()),
      cmp.json(lines.size() / 2), sink % 10);
  return 0;
} catch (const mgeo::Error& e) {
  std::cerr << "mgeo-address-bench: error: " << e.what() << "\n";
  return 1;
}
