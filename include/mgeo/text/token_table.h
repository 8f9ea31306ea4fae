// mgeo/text/token_table.h — a string -> id hash table looked up by string_view.
//
// Contract: owns copies of its keys (copies and moves are safe); find() never allocates.
// Not thread-safe for insert; const methods are thread-safe. Ids are >= 0.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mgeo::text {

class TokenTable {
 public:
  explicit TokenTable(std::size_t expected_size = 0);

  // Adds key -> id; returns false (and changes nothing) if key is already present.
  bool insert(std::string_view key, int32_t id);
  // The id of key, or -1 when absent.
  int32_t find(std::string_view key) const noexcept;

  std::size_t size() const noexcept { return size_; }
  std::size_t max_key_size() const noexcept { return max_key_size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0;  // into keys_
    uint32_t length = 0;
    int32_t id = -1;      // -1: empty
  };

  std::size_t probe(std::string_view key, uint64_t hash) const noexcept;
  void grow();

  std::string keys_;
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  std::size_t max_key_size_ = 0;
};

}  // namespace mgeo::text
