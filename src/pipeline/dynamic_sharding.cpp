#include "dynamic_sharding.h"

#include <chrono>
#include <cstring>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "mgeo/dist/work_queue.h"
#include "mgeo/util/error.h"
#include "mgeo/util/timer.h"
#include "progress.h"
#include "watchdog.h"

namespace mgeo::pipeline::detail {
namespace {

// One chunk's results as a message: chunk number, rows, labels, comparison bytes per row
// (0 or kCmpWidth), then the ids (4-byte length + bytes each), probs (rows * labels
// floats), statuses (one byte each) and comparisons.
std::vector<char> pack_chunk(int64_t chunk, int64_t labels, const ShardResult& part) {
  const auto rows = static_cast<int64_t>(part.ids.size());
  const int64_t cmp_width = part.cmp.empty() ? 0 : kCmpWidth;
  size_t bytes = 4 * sizeof(int64_t) + part.probs.size() * sizeof(float) + part.status.size() + part.cmp.size();
  for (const auto& id : part.ids) bytes += sizeof(uint32_t) + id.size();
  std::vector<char> out(bytes);
  char* p = out.data();
  auto put = [&](const void* src, size_t k) { std::memcpy(p, src, k), p += k; };
  for (int64_t v : {chunk, rows, labels, cmp_width}) put(&v, sizeof v);
  for (const auto& id : part.ids) {
    const auto len = static_cast<uint32_t>(id.size());
    put(&len, sizeof len), put(id.data(), id.size());
  }
  put(part.probs.data(), part.probs.size() * sizeof(float));
  put(part.status.data(), part.status.size());
  put(part.cmp.data(), part.cmp.size());
  return out;
}

// The inverse of pack_chunk; every length is checked against the message.
std::pair<int64_t, ShardResult> unpack_chunk(const std::vector<char>& msg, int64_t labels, int64_t cmp_width) {
  const char* p = msg.data();
  const char* end = p + msg.size();
  auto get = [&](void* dst, size_t k) {
    MGEO_CHECK(static_cast<size_t>(end - p) >= k, "rank 0: a result message of {} bytes is truncated", msg.size());
    std::memcpy(dst, p, k), p += k;
  };
  int64_t head[4];
  get(head, sizeof head);
  const auto [chunk, rows, msg_labels, msg_cmp_width] = std::tuple(head[0], head[1], head[2], head[3]);
  MGEO_CHECK(rows >= 0 && msg_labels == labels && rows <= static_cast<int64_t>(msg.size()),
             "rank 0: a result message for chunk {} has {} rows of {} labels", chunk, rows, msg_labels);
  MGEO_CHECK(msg_cmp_width == (rows > 0 ? cmp_width : 0),
             "rank 0: a result message for chunk {} has {} comparison bytes per row, expected {}", chunk,
             msg_cmp_width, cmp_width);
  ShardResult part;
  part.ids.resize(rows);
  for (auto& id : part.ids) {
    uint32_t len = 0;
    get(&len, sizeof len);
    MGEO_CHECK(static_cast<size_t>(end - p) >= len, "rank 0: a result message of {} bytes is truncated", msg.size());
    id.assign(p, len), p += len;
  }
  part.probs.resize(rows * labels);
  get(part.probs.data(), part.probs.size() * sizeof(float));
  part.status.resize(rows);
  get(part.status.data(), part.status.size());
  part.cmp.resize(rows * msg_cmp_width);
  get(part.cmp.data(), part.cmp.size());
  MGEO_CHECK(p == end, "rank 0: a result message for chunk {} has {} bytes left over", chunk, end - p);
  return {chunk, std::move(part)};
}

}  // namespace

void score_dynamic(const dist::Communicator& comm, const dist::RoundPlan& plan, int64_t labels,
                   const ScoreRange& score_range, RoundSink* sink, std::map<std::string, int64_t>& counts,
                   const ScoreJobOptions& o, RankMetrics& m) {
  constexpr int kResultTag = 4242;
  const int world = comm.size();
  const int64_t chunks = plan.rounds * world;
  dist::WorkQueue queue(comm, chunks, 2 * static_cast<int64_t>(world));
  dist::Outbox outbox(comm, 0, kResultTag, 2);
  std::map<int64_t, ShardResult> ready;  // rank 0: finished chunks not yet written
  int64_t written = 0, written_rows = 0;
  Progress progress(comm.rank() == 0 && !o.quiet, plan.n, o.progress_seconds);
  Stopwatch sw;
  auto write_ready = [&] {  // rank 0: hand the chunks that are next in order to the writer
    for (auto it = ready.find(written); it != ready.end(); it = ready.find(written)) {
      written_rows += static_cast<int64_t>(it->second.ids.size());
      sink->take(std::move(it->second.ids), std::move(it->second.probs), it->second.status, it->second.cmp, counts);
      ready.erase(it);
      queue.publish_done(++written);
      heartbeat();
    }
    progress.update(written_rows);
  };
  auto drain = [&] {  // rank 0: take in what the other ranks sent
    while (auto msg = dist::try_receive(comm, kResultTag)) {
      auto [c, part] = unpack_chunk(*msg, labels, o.explain ? kCmpWidth : 0);
      MGEO_CHECK(c >= written && c < chunks && !ready.count(c), "rank 0: unexpected result for chunk {}", c);
      ready.emplace(c, std::move(part));
    }
    write_ready();
  };
  const std::function<void()> idle = comm.rank() == 0 ? std::function<void()>(drain) : std::function<void()>();
  for (;;) {
    sw.lap();
    const int64_t c = queue.take(idle);
    m.wait_s += sw.lap();
    if (c < 0) break;
    heartbeat();
    const auto range = plan.of(c / world, static_cast<int>(c % world));
    ShardResult part;
    score_range(range, part, [&](int64_t) {
      if (comm.rank() == 0) drain();  // between pieces, so senders are not kept waiting
    });
    m.rows += range.size();
    sw.lap();
    if (comm.rank() == 0) {
      ready.emplace(c, std::move(part));
      drain();
    } else {
      outbox.post(pack_chunk(c, labels, part));
    }
    m.gather_s += sw.lap();
  }
  sw.lap();
  if (comm.rank() == 0) {
    while (written < chunks) {
      drain();
      if (written < chunks) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  } else {
    outbox.flush();
  }
  m.wait_s += sw.lap();
}

}  // namespace mgeo::pipeline::detail
