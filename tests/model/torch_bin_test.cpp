// read_torch_bin on archives written here with libtorch's PyTorchStreamWriter and
// pickles assembled by hand, so every hostile case is exact.
#include <caffe2/serialize/inline_container.h>
#include <gtest/gtest.h>

#include <cstring>
#include <utility>
#include <vector>

#include "mgeo/model/checkpoint.h"
#include "test_util.h"

namespace mgeo::model {
namespace {

using test::error_of;
using test::expect_contains;

// Pickle protocol 2 opcodes, appended one call at a time.
class Pickle {
 public:
  Pickle() : bytes_("\x80\x02") {}
  Pickle& op(char c) { return raw(std::string(1, c)); }
  Pickle& raw(const std::string& s) {
    bytes_ += s;
    return *this;
  }
  Pickle& global(const std::string& module, const std::string& name) { return raw("c" + module + "\n" + name + "\n"); }
  Pickle& str(const std::string& s) { return op('X').raw(le32(static_cast<uint32_t>(s.size()))).raw(s); }
  Pickle& integer(int32_t v) { return op('J').raw(le32(static_cast<uint32_t>(v))); }
  Pickle& ints(const std::vector<int32_t>& v) {
    op('(');
    for (int32_t x : v) integer(x);
    return op('t');
  }
  Pickle& ordered_dict() { return global("collections", "OrderedDict").op(')').op('R'); }
  // key: _rebuild_tensor_v2(storage data/<storage>, offset, sizes, strides, False, OrderedDict())
  Pickle& tensor(const std::string& key, const std::string& storage, int32_t numel, int32_t offset,
                 const std::vector<int32_t>& sizes, const std::vector<int32_t>& strides) {
    str(key).global("torch._utils", "_rebuild_tensor_v2").op('(');
    op('(').str("storage").global("torch", "FloatStorage").str(storage).str("cpu").integer(numel).op('t').op('Q');
    integer(offset).ints(sizes).ints(strides).op('\x89').ordered_dict();
    return op('t').op('R');
  }
  // A state dict of the given entries (each added by tensor()).
  template <class F>
  static std::string state_dict(F&& entries) {
    Pickle p;
    p.ordered_dict().op('(');
    entries(p);
    return p.op('u').op('.').bytes_;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  static std::string le32(uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (8 * i));
    return s;
  }
  std::string bytes_;
};

std::string floats(const std::vector<float>& v) {
  std::string s(v.size() * sizeof(float), '\0');
  std::memcpy(s.data(), v.data(), s.size());
  return s;
}

class TorchBinTest : public ::testing::Test {
 protected:
  std::string write(const std::string& pickle, const std::vector<std::pair<std::string, std::string>>& records = {}) {
    caffe2::serialize::PyTorchStreamWriter writer(path_);
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    for (const auto& [name, bytes] : records) writer.writeRecord(name, bytes.data(), bytes.size());
    writer.writeEndOfFile();
    return path_;
  }
  std::string error(const std::string& pickle, const std::vector<std::pair<std::string, std::string>>& records = {}) {
    return error_of([&] { read_torch_bin(write(pickle, records)); });
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("pytorch_model.bin");
  std::string six_ = floats({0, 1, 2, 3, 4, 5});
};

TEST_F(TorchBinTest, RebuildsViewsOfSharedStorages) {
  const auto pickle = Pickle::state_dict([](Pickle& p) {
    p.tensor("w", "0", 6, 0, {2, 3}, {3, 1});
    p.tensor("w_t", "0", 6, 0, {3, 2}, {1, 3});  // transposed view: made contiguous
    p.tensor("row", "0", 6, 3, {3}, {1});
  });
  const auto t = read_torch_bin(write(pickle, {{"data/0", six_}}));
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.at("w").sizes().vec(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(t.at("w")[1][2].item<float>(), 5.0f);
  EXPECT_TRUE(t.at("w_t").is_contiguous());
  EXPECT_EQ(t.at("w_t")[2][1].item<float>(), 5.0f);
  EXPECT_EQ(t.at("w_t")[0][1].item<float>(), 3.0f);
  EXPECT_EQ(t.at("row")[0].item<float>(), 3.0f);
}

TEST_F(TorchBinTest, NestedStateDictAndParameters) {
  Pickle p;
  p.global("collections", "OrderedDict").op(')').op('R').op('(').str("epoch").integer(3);
  p.str("state_dict").op('}').op('(');
  p.str("w").global("torch._utils", "_rebuild_parameter").op('(');
  p.global("torch._utils", "_rebuild_tensor_v2").op('(');
  p.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(6).op('t').op('Q');
  p.integer(0).ints({6}).ints({1}).op('\x89').ordered_dict().op('t').op('R');
  p.op('\x88').ordered_dict().op('t').op('R');
  p.op('u').op('u').op('.');
  const auto t = read_torch_bin(write(p.bytes(), {{"data/0", six_}}));
  ASSERT_EQ(t.count("w"), 1u);
  EXPECT_EQ(t.at("w")[4].item<float>(), 4.0f);
}

TEST_F(TorchBinTest, ForbiddenGlobalIsNamed) {
  Pickle p;
  p.global("posix", "system").str("touch /tmp/pwned").op('\x85').op('R').op('.');
  expect_contains(error(p.bytes()), {path_, "forbidden global 'posix.system'"});

  Pickle q;  // protocol 4 spelling: STACK_GLOBAL
  q.raw("\x8c\x02os\x8c\x06system\x93").op('.');
  expect_contains(error(q.bytes()), {"forbidden global 'os.system'"});

  const auto inside = Pickle::state_dict([](Pickle& r) { r.str("w").global("builtins", "eval").op('.'); });
  expect_contains(error(inside), {"'builtins.eval'"});
}

TEST_F(TorchBinTest, ViewPastStorageEndNamesTensor) {
  const auto pickle = Pickle::state_dict([](Pickle& p) { p.tensor("bad", "0", 6, 2, {2, 3}, {3, 1}); });
  expect_contains(error(pickle, {{"data/0", six_}}), {path_, "'bad'", "outside its storage of 6"});
}

TEST_F(TorchBinTest, StorageSizeMustMatchRecord) {
  const auto pickle = Pickle::state_dict([](Pickle& p) { p.tensor("w", "0", 1000, 0, {1000}, {1}); });
  expect_contains(error(pickle, {{"data/0", six_}}), {"'w'", "data/0", "24 bytes", "1000"});
  const auto missing = Pickle::state_dict([](Pickle& p) { p.tensor("w", "7", 6, 0, {6}, {1}); });
  expect_contains(error(missing, {{"data/0", six_}}), {"'w'", "data/7", "missing"});
}

TEST_F(TorchBinTest, MalformedPickles) {
  expect_contains(error(Pickle().raw("h\x05").op('.').bytes()), {"memo index 5"});
  expect_contains(error(Pickle().op('}').bytes()), {"truncated"});
  expect_contains(error(Pickle().op('t').bytes()), {"no MARK"});
  expect_contains(error(Pickle().op('R').bytes()), {"stack underflow"});
  expect_contains(error(Pickle().op('}').op('}').op('a').bytes()), {"a list was expected"});
  expect_contains(error(Pickle().raw("\x8a\x09").bytes()), {"LONG1"});
  expect_contains(error(Pickle().op('X').raw(std::string("\xff\xff\xff\x7f", 4)).bytes()), {"truncated"});
  expect_contains(error(Pickle().raw("\x63os").bytes()), {"GLOBAL line"});
  expect_contains(error(Pickle().op('I').bytes()), {"opcode 0x49"});
  expect_contains(error(Pickle().op(']').op('.').bytes()), {"not a dict"});
  expect_contains(error(Pickle().op('}').op('.').bytes()), {"no tensors"});
}

TEST_F(TorchBinTest, ContainersCannotContainThemselves) {
  // l = []; l.append(l)
  expect_contains(error(Pickle().op(']').raw(std::string("q\0h\0", 4)).op('a').op('.').bytes()), {"nest"});
}

TEST_F(TorchBinTest, NotAnArchive) {
  test::write_file(path_, "\x80\x02}q\x00.");
  expect_contains(error_of([&] { read_torch_bin(path_); }), {path_, "not a torch.save zip archive"});
}

}  // namespace
}  // namespace mgeo::model
