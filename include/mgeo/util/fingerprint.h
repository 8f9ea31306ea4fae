// mgeo/util/fingerprint.h — 64-bit content fingerprints for inputs, models and journals.
//
// Contract: pure functions of the bytes (the same bytes give the same value on every
// platform and run); not cryptographic: they detect a changed or corrupted file, not a
// forged one. hash_file() streams the file in blocks (bounded memory) and throws
// mgeo::Error naming the path when it cannot be read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mgeo {

// The fingerprint of `n` bytes, continuing from `seed` (chain calls to hash several parts).
uint64_t hash_bytes(const void* data, std::size_t n, uint64_t seed = 0);
inline uint64_t hash_bytes(std::string_view s, uint64_t seed = 0) { return hash_bytes(s.data(), s.size(), seed); }

// The fingerprint of the whole file's bytes (its size is part of it).
uint64_t hash_file(const std::string& path);

// 16 lowercase hex digits.
std::string hex64(uint64_t v);

}  // namespace mgeo
