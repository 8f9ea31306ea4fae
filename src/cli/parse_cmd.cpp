#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mgeo/address/address.h"
#include "mgeo/address/normalize.h"
#include "mgeo/address/parser.h"
#include "mgeo/cli/commands.h"
#include "mgeo/io/atomic_file.h"
#include "mgeo/io/file.h"
#include "mgeo/io/format.h"
#include "mgeo/io/pair_source.h"
#include "mgeo/io/pairs.h"
#include "mgeo/io/records.h"
#include "mgeo/io/table_writer.h"
#include "mgeo/util/cores.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"
#include "mgeo/util/utf8.h"

namespace mgeo::cli {
namespace {

struct ParseArgs {
  std::string input;      // empty: stdin
  std::string output;     // empty: stdout
  std::string divisions;  // empty: synth::default_divisions_dir()
  bool normalize = false;
  unsigned threads = 0;   // 0: one per core
};

constexpr std::size_t kLinesPerThread = 1024;  // a block holds this many lines per thread

// One input address: a line, or a data row of a CSV/TSV with columns id and address.
struct Item {
  std::string id;
  std::string text;
  bool malformed = false;  // a CSV/TSV row whose fields could not be split
};

// One output line (without its line break) and the status it counts under; for a table
// output (.parquet), its id and address instead of the line.
struct Done {
  std::string line;
  const char* status = "";
  std::string id, text;
};

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

// The id as a JSON string (invalid bytes replaced, as in to_json).
std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string lower_extension(const std::string& path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

// Where the lines go: stdout, or a file that appears only once complete; or, for a
// .parquet output, rows id, address of a table.
class Sink {
 public:
  explicit Sink(const std::string& path) {
    if (path.empty()) return;
    if (lower_extension(path) == "parquet") {
      table_.emplace(path, std::vector<std::string>{"id", "address"});
      return;
    }
    atomic_.emplace(path);
    file_.emplace(atomic_->temp_path(), path);
  }

  bool is_table() const { return table_.has_value(); }
  void add_row(std::string_view id, std::string_view address) { table_->add({id, address}); }

  void write(std::string_view bytes) {
    if (file_) {
      file_->write(bytes);
    } else if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
      fail("cannot write to stdout: {}", std::strerror(errno));
    }
  }

  void commit() {
    if (table_) {
      table_->close();
    } else if (file_) {
      file_->close();
      atomic_->commit();
    } else if (std::fflush(stdout) != 0) {
      fail("cannot write to stdout: {}", std::strerror(errno));
    }
  }

 private:
  std::optional<io::AtomicOutput> atomic_;
  std::optional<io::BufferedWriter> file_;
  std::optional<io::TableWriter> table_;
};

class Job {
 public:
  Job(const ParseArgs& args, Sink& sink)
      : args_(args),
        sink_(sink),
        threads_(args.threads > 0 ? args.threads : static_cast<unsigned>(usable_cores())) {
    if (!args.normalize) parser_.emplace(address::Parser::from_directory(args.divisions));
    load_s_ = clock_.seconds();
  }

  // CSV/TSV rows: the output of --normalize is a file of the same dialect with columns id, address.
  void set_table_output(io::Dialect dialect) {
    table_ = dialect;
    if (args_.normalize && !sink_.is_table()) sink_.write("id" + std::string(1, dialect.delimiter) + "address\n");
  }

  std::size_t block_size() const { return kLinesPerThread * threads_; }

  // Processes `items` (in order) on the worker threads and writes their lines.
  void run_block(const std::vector<Item>& items) {
    std::vector<Done> done(items.size());
    const std::size_t per = (items.size() + threads_ - 1) / threads_;
    auto work = [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) done[i] = process(items[i]);
    };
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(threads_);
    for (std::size_t b = per, k = 1; b < items.size(); b += per, ++k)
      pool.emplace_back([&, b, k] {
        try {
          work(b, std::min(items.size(), b + per));
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
    try {
      work(0, std::min(items.size(), per));
    } catch (...) {
      errors[0] = std::current_exception();
    }
    for (auto& t : pool) t.join();
    for (const auto& e : errors)
      if (e) std::rethrow_exception(e);
    out_.clear();
    for (const auto& d : done) {
      if (sink_.is_table()) {
        sink_.add_row(d.id, d.text);
      } else {
        out_ += d.line;
        out_ += '\n';
      }
      ++counts_[d.status];
    }
    if (!sink_.is_table()) sink_.write(out_);
    read_ += items.size();
  }

  void summary(const std::string& unit, const std::string& output) const {
    const double s = clock_.seconds();
    std::string by_status;
    for (const auto& [name, count] : counts_) by_status += fmt::format("{}{} {}", by_status.empty() ? "" : ", ", name, count);
    const double work_s = s - load_s_;  // the rate leaves out loading the dictionary
    fmt::print(stderr, "parse: {} {}{} ({}) -> {} in {:.2f} s ({:.0f} {}/s{})\n", read_, unit,
               args_.normalize ? " normalized" : "", by_status.empty() ? "none" : by_status,
               output.empty() ? "<stdout>" : output, s, work_s > 0 ? read_ / work_s : 0.0, unit,
               parser_ ? fmt::format("; dictionary {:.2f} s", load_s_) : std::string());
  }

 private:
  Done process(const Item& item) const {
    if (args_.normalize) return normalized(item);
    Done d;
    const auto a = parser_->parse(item.malformed ? std::string_view() : std::string_view(item.text));
    std::string json = address::to_json(item.malformed ? std::string_view() : std::string_view(item.text), a);
    d.status = address::status_name(a.status);
    if (item.malformed) {
      auto j = nlohmann::ordered_json::parse(json);
      j["status"] = "malformed_row";
      json = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      d.status = "malformed_row";
    }
    if (table_) json = "{\"id\":" + json_string(item.id) + "," + json.substr(1);  // the id first
    d.line = std::move(json);
    return d;
  }

  // The normalized text; text normalize() cannot take (NUL bytes, invalid UTF-8) unchanged.
  // Statuses as parse() gives them: blank (after normalizing) is empty_address.
  Done normalized(const Item& item) const {
    Done d;
    std::string text;
    if (item.malformed) {
      d.status = "malformed_row";
    } else if (has_nul(item.text)) {
      d.status = "nul_byte", text = item.text;
    } else if (!utf8::valid(item.text)) {
      d.status = "invalid_utf8", text = item.text;
    } else {
      text = address::normalize(item.text);
      d.status = io::is_blank(text) ? "empty_address" : "ok";
    }
    if (!table_) {
      d.line = std::move(text);
      return d;
    }
    if (sink_.is_table()) {
      d.id = item.id, d.text = std::move(text);
      return d;
    }
    // Fields read from a TSV hold no tab or line break, so both always fit.
    bool fits = io::append_field(d.line, item.id, *table_);
    d.line.push_back(table_->delimiter);
    fits = io::append_field(d.line, text, *table_) && fits;
    MGEO_CHECK(fits, "{}: a TSV field cannot hold a tab or line break (id '{}')", args_.input, item.id);
    return d;
  }

  const ParseArgs& args_;
  Sink& sink_;
  unsigned threads_;
  Stopwatch clock_;
  double load_s_ = 0;
  std::optional<address::Parser> parser_;  // without --normalize
  std::optional<io::Dialect> table_;       // set: the input is a CSV/TSV with ids
  std::map<std::string, int64_t> counts_;
  int64_t read_ = 0;
  std::string out_;
};

// Plain lines: each line (its \n and a trailing \r removed) is one address.
void run_lines(std::istream& in, const std::string& name, Job& job) {
  std::vector<Item> block;
  std::string line;
  for (;;) {
    const bool got = static_cast<bool>(std::getline(in, line));
    if (got) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      block.push_back(Item{{}, std::move(line), false});
      line = std::string();
    }
    if (!got || block.size() == job.block_size()) {
      if (!block.empty()) job.run_block(block);
      block.clear();
    }
    if (!got) break;
  }
  MGEO_CHECK(!in.bad(), "cannot read {}: {}", name, std::strerror(errno));
}

std::string trim_spaces(std::string s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// A CSV (RFC 4180) or TSV file with a header naming id and address (other columns ignored).
void run_table(const std::string& path, io::Dialect dialect, Job& job) {
  const auto file = io::MappedFile::open(path);
  std::string_view text = file.text();
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  const auto index = io::scan_records(text, dialect, path, [&](std::string_view done) { file.release(done); });
  MGEO_CHECK(index.size() > 0, "{}: empty file; expected a header naming id, address", path);
  std::vector<io::Field> fields;
  MGEO_CHECK(io::split_record(index.record(text, 0), dialect, fields), "{}:1: malformed header (text after a closing quote)",
             path);
  std::vector<std::string> columns;
  for (const auto& f : fields) columns.push_back(trim_spaces(f.value()));
  auto column = [&](const char* name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
  };
  const std::size_t id = column("id"), address = column("address");
  std::vector<std::string> missing;
  if (id == columns.size()) missing.emplace_back("id");
  if (address == columns.size()) missing.emplace_back("address");
  MGEO_CHECK(missing.empty(), "{}:1: header lacks column(s) {} (found: {})", path, fmt::join(missing, ", "),
             fmt::join(columns, ", "));

  job.set_table_output(dialect);
  std::vector<Item> block;
  for (std::size_t r = 1; r < index.size(); ++r) {
    Item item;
    const bool ok = io::split_record(index.record(text, r), dialect, fields) && fields.size() == columns.size();
    if (id < fields.size()) item.id = io::sanitize_utf8(fields[id].value());
    if (ok)
      item.text = fields[address].value();
    else
      item.malformed = true;
    block.push_back(std::move(item));
    if (block.size() == job.block_size() || r + 1 == index.size()) {
      job.run_block(block);
      block.clear();
    }
  }
}

// A Parquet table with columns id and address (others ignored), read a block at a time.
// Values are taken as stored, as for CSV; a null reads as "".
void run_parquet(const std::string& path, Job& job) {
  io::ReadOptions opts;
  opts.addr1_column = opts.addr2_column = "address";
  opts.max_field_bytes = std::numeric_limits<std::size_t>::max();  // parse() judges the text itself
  const auto source = io::PairSource::open(path, opts);
  job.set_table_output(io::kCsv);
  const auto n = source->size();
  const auto block = static_cast<int64_t>(job.block_size());
  std::vector<Item> items;
  for (int64_t b = 0; b < n; b += block) {
    const int64_t e = std::min(n, b + block);
    auto ids = source->read_column("id", b, e);
    auto texts = source->read_column("address", b, e);
    items.clear();
    for (std::size_t i = 0; i < ids.size(); ++i) items.push_back(Item{io::sanitize_utf8(ids[i]), std::move(texts[i]), false});
    job.run_block(items);
  }
}

void run(const ParseArgs& args) {
  std::ios::sync_with_stdio(false);
  const std::string ext = lower_extension(args.input);
  const bool parquet = !args.input.empty() && ext == "parquet";
  const bool table = !args.input.empty() && (ext == "csv" || ext == "tsv" || parquet);
  MGEO_CHECK(lower_extension(args.output) != "parquet" || (args.normalize && table),
             "parse: a .parquet --output holds id,address rows: it needs --normalize and a .csv, .tsv or .parquet "
             "--input ({})",
             args.output);
  std::ifstream in;
  if (!args.input.empty() && !table) {
    in.open(args.input, std::ios::binary);
    MGEO_CHECK(in, "cannot open {}: {}", args.input, std::strerror(errno));
  }
  Sink sink(args.output);
  Job job(args, sink);
  if (parquet)
    run_parquet(args.input, job);
  else if (table)
    run_table(args.input, ext == "tsv" ? io::kTsv : io::kCsv, job);
  else if (args.input.empty())
    run_lines(std::cin, "<stdin>", job);
  else
    run_lines(in, args.input, job);
  sink.commit();
  job.summary(table ? "rows" : "lines", args.output);
}

}  // namespace

void add_parse_command(CLI::App& app) {
  auto args = std::make_shared<ParseArgs>();
  auto* cmd = app.add_subcommand(
      "parse", "Split addresses into province ... room as JSON lines (one address a line, or a CSV with id,address)");
  cmd->add_option("--input", args->input,
                  "One address a line (default: stdin); a .csv/.tsv/.parquet file needs columns id, address");
  cmd->add_option("--output", args->output,
                  "Output file, written whole or not at all (default: stdout); .parquet with --normalize and a table input");
  cmd->add_flag("--normalize", args->normalize,
                "Print the normalized text instead of JSON (a .csv/.tsv/.parquet input gives id,address rows)");
  cmd->add_option("--divisions", args->divisions, "Divisions directory (default: $MGEO_DIVISIONS or data/divisions)");
  cmd->add_option("--threads", args->threads, "Worker threads (0: one per core); output order is input order")
      ->capture_default_str();
  cmd->callback([args] { run(*args); });
}

}  // namespace mgeo::cli
