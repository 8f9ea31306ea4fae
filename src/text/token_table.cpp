#include "mgeo/text/token_table.h"

#include <cassert>

namespace mgeo::text {
namespace {

uint64_t hash_key(std::string_view key) noexcept {  // FNV-1a
  uint64_t h = 1469598103934665603ULL;
  for (const char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::size_t slot_count_for(std::size_t n) {
  std::size_t slots = 16;
  while (slots < 2 * n) slots *= 2;
  return slots;
}

}  // namespace

TokenTable::TokenTable(std::size_t expected_size) : slots_(slot_count_for(expected_size)) {}

std::size_t TokenTable::probe(std::string_view key, uint64_t hash) const noexcept {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id < 0) return i;
    if (s.hash == hash && std::string_view(keys_.data() + s.offset, s.length) == key) return i;
  }
}

int32_t TokenTable::find(std::string_view key) const noexcept {
  return slots_[probe(key, hash_key(key))].id;
}

bool TokenTable::insert(std::string_view key, int32_t id) {
  assert(id >= 0);
  if (2 * (size_ + 1) > slots_.size()) grow();
  const uint64_t hash = hash_key(key);
  Slot& s = slots_[probe(key, hash)];
  if (s.id >= 0) return false;
  s = Slot{hash, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(key.size()), id};
  keys_.append(key);
  ++size_;
  if (key.size() > max_key_size_) max_key_size_ = key.size();
  return true;
}

void TokenTable::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].id >= 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace mgeo::text
