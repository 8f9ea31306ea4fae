// mgeo/address/parser.h — parse(text) -> Address, over a dictionary of China's divisions.
//
// Contract: a Parser is built once from Divisions (provinces, cities, districts, towns;
// communities are not needed) into a code-point trie of every official name and its
// short forms (浙江, 宁波, 鄞州, 内蒙古, 广西, 恩施, 苏州工业园区's 工业园区 under 苏州, ...),
// and is immutable afterwards: parse() may run on any number of threads at once.
//
// parse() normalizes the text (mgeo/address/normalize.h), reads the administrative
// prefix as the longest chain of names that fit one another (province, city, district,
// town, each optional, in that order, written at the start), fills the coarser divisions
// a finer one implies (宁波鄞州 -> 浙江省/宁波市/鄞州区), and reads road, number, poi,
// building, unit, floor and room from the rest. A short form followed by a road suffix
// (长安南路, 中山东路, 北京中路, 南京西路) is a road, not a division. When a name fits
// several places (朝阳区, 鼓楼区, 江北) and the rest of the chain does not choose one,
// the result is Resolution::ambiguous with only the shared fields set. parse() never
// throws on any input: invalid UTF-8, NUL bytes and blank text give an Address whose
// status says so and whose fields are empty.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mgeo/address/address.h"

namespace mgeo::synth {
class Divisions;
}

namespace mgeo::address {

class Parser {
 public:
  explicit Parser(const synth::Divisions& divisions);
  ~Parser();
  Parser(Parser&&) noexcept;
  Parser& operator=(Parser&&) noexcept;

  // Loads the divisions from `dir` (default: synth::default_divisions_dir()) without
  // communities. Throws mgeo::Error naming the file when they cannot be read.
  static Parser from_directory(const std::string& dir = {});

  Address parse(std::string_view text) const;

  // The trie's size, for reports: names and short forms indexed, and nodes.
  std::size_t names() const;
  std::size_t nodes() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mgeo::address
