// generate(): blocks of pairs made on worker threads, handed over in index order.
#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "mgeo/synth/generator.h"
#include "mgeo/util/cores.h"

namespace mgeo::synth {
namespace {

// Blocks flow through `slots` ring entries: block b may be made once block b - slots has
// been taken by the consumer, so a slot is never written while it is still full.
struct Ring {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::vector<Pair>> slot;
  std::vector<char> full;
  uint64_t taken = 0;    // blocks the consumer has taken
  uint64_t next = 0;     // next block to hand to a worker
  bool stop = false;
  std::exception_ptr error;
};

void work(const Generator& gen, Ring& ring, uint64_t first, uint64_t count, std::size_t block, uint64_t blocks) {
  const std::size_t slots = ring.slot.size();
  while (true) {
    uint64_t b;
    {
      std::unique_lock<std::mutex> lock(ring.mu);
      if (ring.stop || ring.next >= blocks) return;
      b = ring.next++;
      ring.cv.wait(lock, [&] { return ring.stop || b < ring.taken + slots; });
      if (ring.stop) return;
    }
    std::vector<Pair> out;
    try {
      const uint64_t begin = first + b * block;
      const uint64_t end = std::min(first + count, begin + block);
      out.reserve(static_cast<std::size_t>(end - begin));
      for (uint64_t i = begin; i < end; ++i) out.push_back(gen.make(i));
    } catch (...) {
      std::lock_guard<std::mutex> lock(ring.mu);
      if (!ring.error) ring.error = std::current_exception();
      ring.stop = true;
      ring.cv.notify_all();
      return;
    }
    std::lock_guard<std::mutex> lock(ring.mu);
    ring.slot[b % slots] = std::move(out);
    ring.full[b % slots] = 1;
    ring.cv.notify_all();
  }
}

}  // namespace

void generate(const Generator& gen, uint64_t first, uint64_t count, unsigned threads,
              const std::function<void(const Pair&)>& sink, std::size_t block) {
  if (count == 0) return;
  if (block == 0) block = 1;
  if (threads == 0) threads = static_cast<unsigned>(usable_cores());
  const uint64_t blocks = (count + block - 1) / block;
  threads = static_cast<unsigned>(std::min<uint64_t>(threads, blocks));

  Ring ring;
  ring.slot.resize(2 * threads);
  ring.full.assign(2 * threads, 0);
  std::vector<std::thread> workers;
  auto finish = [&] {
    {
      std::lock_guard<std::mutex> lock(ring.mu);
      ring.stop = true;
    }
    ring.cv.notify_all();
    for (auto& t : workers) t.join();
    workers.clear();
  };
  try {
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back(work, std::cref(gen), std::ref(ring), first, count, block, blocks);
    }
    for (uint64_t b = 0; b < blocks; ++b) {
      std::vector<Pair> pairs;
      {
        std::unique_lock<std::mutex> lock(ring.mu);
        const std::size_t s = b % ring.slot.size();
        ring.cv.wait(lock, [&] { return ring.full[s] || ring.error; });
        if (ring.error) std::rethrow_exception(ring.error);
        pairs = std::move(ring.slot[s]);
        ring.full[s] = 0;
        ring.taken = b + 1;
      }
      ring.cv.notify_all();
      for (const Pair& p : pairs) sink(p);
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

}  // namespace mgeo::synth
