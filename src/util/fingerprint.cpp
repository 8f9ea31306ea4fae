#include "mgeo/util/fingerprint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "mgeo/util/error.h"
#include "mgeo/util/mix64.h"

namespace mgeo {
namespace {

constexpr uint64_t kLane = 0x9E3779B97F4A7C15ULL;

uint64_t load64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];  // little-endian on every host
  return v;
}

// Four independent lanes over 32-byte strides, so the multiplies overlap.
struct Hasher {
  uint64_t lane[4];
  uint64_t total = 0;
  explicit Hasher(uint64_t seed) {
    for (int i = 0; i < 4; ++i) lane[i] = mix64(seed + (i + 1) * kLane);
  }
  void stride(const unsigned char* p) {
    for (int i = 0; i < 4; ++i) lane[i] = mix64(lane[i] ^ load64(p + 8 * i)) + kLane;
  }
  uint64_t finish(const unsigned char* tail, std::size_t n) {
    unsigned char last[32] = {};
    std::memcpy(last, tail, n);
    stride(last);
    uint64_t h = mix64(total + n);
    for (uint64_t l : lane) h = mix64(h ^ l);
    return h;
  }
};

}  // namespace

uint64_t hash_bytes(const void* data, std::size_t n, uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  Hasher h(seed);
  h.total = n;
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) h.stride(p + i);
  return h.finish(p + i, n - i);
}

uint64_t hash_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail("cannot open {}: {}", path, std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  constexpr std::size_t kBlock = 1 << 20;  // a multiple of the 32-byte stride
  std::vector<unsigned char> buf(kBlock);
  Hasher h(0);
  std::size_t have = 0;  // bytes in buf not yet hashed
  uint64_t total = 0;
  for (;;) {
    const ssize_t got = ::read(fd, buf.data() + have, kBlock - have);
    if (got < 0) {
      if (errno == EINTR) continue;
      fail("cannot read {}: {}", path, std::strerror(errno));
    }
    if (got == 0) break;
    total += static_cast<uint64_t>(got);
    have += static_cast<std::size_t>(got);
    const std::size_t whole = have / 32 * 32;
    for (std::size_t i = 0; i < whole; i += 32) h.stride(buf.data() + i);
    std::memmove(buf.data(), buf.data() + whole, have - whole);
    have -= whole;
  }
  h.total = total;
  return h.finish(buf.data(), have);
}

std::string hex64(uint64_t v) { return fmt::format("{:016x}", v); }

}  // namespace mgeo
