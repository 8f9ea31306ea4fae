#include "mgeo/io/pair_writer.h"

#include <utility>

#include "mgeo/io/table_writer.h"
#include "mgeo/util/error.h"

namespace mgeo::io {
namespace {

std::vector<std::string> column_names(bool with_label) {
  std::vector<std::string> names = {"id", "addr1", "addr2"};
  if (with_label) names.emplace_back("label");
  return names;
}

}  // namespace

// A PairWriter is a TableWriter with the pair columns.
class PairWriter::Sink : public TableWriter {
 public:
  using TableWriter::TableWriter;
};

PairWriter::PairWriter(const std::string& path, bool with_label)
    : path_(path), sink_(std::make_unique<Sink>(path, column_names(with_label))) {
  fields_.resize(with_label ? 4 : 3);
}

PairWriter::PairWriter(PairWriter&&) noexcept = default;
PairWriter& PairWriter::operator=(PairWriter&&) noexcept = default;
PairWriter::~PairWriter() = default;

void PairWriter::add(std::string_view id, std::string_view addr1, std::string_view addr2, std::string_view label) {
  MGEO_CHECK(sink_, "{}: add() after close() or a failed write", path_);
  fields_[0] = id, fields_[1] = addr1, fields_[2] = addr2;
  if (fields_.size() == 4) fields_[3] = label;
  try {
    sink_->add(fields_);
  } catch (...) {
    sink_.reset();  // removes the temp file
    throw;
  }
  ++rows_;
}

void PairWriter::close() {
  MGEO_CHECK(sink_, "{}: close() after close() or a failed write", path_);
  const auto sink = std::move(sink_);  // gone after this call, whatever happens
  sink->close();
}

void write_pairs(const std::string& path, const std::vector<PairRow>& rows, const std::vector<std::string>* labels) {
  MGEO_CHECK(!labels || labels->size() == rows.size(), "{}: {} labels for {} rows", path,
             labels ? labels->size() : 0, rows.size());
  PairWriter writer(path, labels != nullptr);
  for (std::size_t i = 0; i < rows.size(); ++i)
    writer.add(rows[i].id, rows[i].addr1, rows[i].addr2, labels ? std::string_view((*labels)[i]) : std::string_view());
  writer.close();
}

}  // namespace mgeo::io
