// safetensors: files written by an independent python writer (every dtype,
// metadata, a torch state_dict) read exactly; C++-written files read by an
// independent python reader; every kind of corrupt file gives an Error that
// names the file and the problem.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/io/npy.h"
#include "auris/io/safetensors.h"
#include "test_support.h"

namespace auris::io {
namespace {

const NamedTensor* FindTensor(const SafetensorsFile& f, const std::string& name) {
  for (const auto& t : f.tensors)
    if (t.name == name) return &t;
  return nullptr;
}

// Same shape and bit-identical floats (NaN == NaN, -0 != +0).
void CheckSameAsNpy(const NamedTensor& t, const std::string& npy_path) {
  CAPTURE(t.name);
  const NpyArray ref = ReadNpy(npy_path);
  // The script saves a 0-d tensor's expected value as a 1-element array.
  const std::vector<std::int64_t> want_shape(ref.shape.begin(), ref.shape.end());
  CHECK((t.shape == want_shape || (t.shape.empty() && want_shape == std::vector<std::int64_t>{1})));
  REQUIRE(t.data.size() == ref.Size());
  for (std::size_t i = 0; i < ref.Size(); ++i) {
    const float want = static_cast<float>(ref.values[i]);
    CHECK((std::memcmp(&t.data[i], &want, 4) == 0 || (std::isnan(want) && std::isnan(t.data[i]))));
  }
}

TEST_CASE("safetensors: reads every dtype and the metadata of an independently written file") {
  AURIS_REQUIRE_REF(path, "st_mixed.safetensors");
  const SafetensorsFile f = ReadSafetensors(path);
  const std::vector<std::string> names = {"layer.weight", "double", "half", "brain", "ints", "empty", "longs", "scalar"};
  REQUIRE(f.tensors.size() == names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    CHECK(f.tensors[i].name == names[i]);  // byte-buffer order, not the header's (reversed) order
    CheckSameAsNpy(f.tensors[i], test::RefFile("st_mixed_" + names[i] + ".npy"));
  }
  CHECK(FindTensor(f, "layer.weight")->shape == std::vector<std::int64_t>{3, 4});
  CHECK(FindTensor(f, "empty")->shape == std::vector<std::int64_t>{0, 3});
  CHECK(FindTensor(f, "scalar")->shape.empty());
  CHECK(FindTensor(f, "half")->data[2] > 0.0f);   // F16 subnormal 6e-8
  CHECK(std::signbit(FindTensor(f, "half")->data[7]));  // -0
  const auto meta = nlohmann::json::parse(test::ReadFile(test::RefFile("st_mixed_metadata.json")));
  CHECK(f.metadata.size() == meta.size());
  for (const auto& [k, v] : meta.items()) CHECK(f.metadata.at(k) == v.get<std::string>());
  CHECK(f.metadata.at("unicode") == "größe ✓");
}

TEST_CASE("safetensors: reads a torch state_dict (nn.LSTM + nn.Linear)") {
  AURIS_REQUIRE_REF(path, "st_torch.safetensors");
  const SafetensorsFile f = ReadSafetensors(path);
  CHECK(f.metadata.at("format") == "pt");
  REQUIRE(f.tensors.size() == 10);
  for (const auto& t : f.tensors) CheckSameAsNpy(t, test::RefFile("st_torch_" + t.name + ".npy"));
  CHECK(FindTensor(f, "lstm.weight_ih_l0")->shape == std::vector<std::int64_t>{12, 4});
  CHECK(FindTensor(f, "head.bias")->shape == std::vector<std::int64_t>{2});
}

SafetensorsFile Sample() {
  SafetensorsFile f;
  f.metadata = {{"architecture", R"({"layers": 2})"}, {"labels", "yes no"}};
  f.tensors.push_back({"w", {2, 3}, {1.0f, -2.0f, 3.5f, 1e-30f, -0.0f, 7.0f}});
  f.tensors.push_back({"b", {3}, {0.25f, 0.5f, -1.0f}});
  f.tensors.push_back({"none", {0}, {}});
  f.tensors.push_back({"s", {}, {42.0f}});
  return f;
}

TEST_CASE("safetensors: write then read round trip, aligned header") {
  test::TempDir dir;
  const SafetensorsFile f = Sample();
  WriteSafetensors(dir / "m.safetensors", f);
  const std::string bytes = test::ReadFile(dir / "m.safetensors");
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  CHECK(n % 8 == 0);
  const SafetensorsFile back = ReadSafetensors(dir / "m.safetensors");
  CHECK(back.metadata == f.metadata);
  REQUIRE(back.tensors.size() == f.tensors.size());
  for (std::size_t i = 0; i < f.tensors.size(); ++i) {
    CHECK(back.tensors[i].name == f.tensors[i].name);
    CHECK(back.tensors[i].shape == f.tensors[i].shape);
    CHECK(back.tensors[i].data == f.tensors[i].data);
  }
}

TEST_CASE("safetensors: a C++-written file is read by an independent python reader") {
  AURIS_SKIP_IF(test::RunCommand(std::string(AURIS_PYTHON) + " -c 'import numpy'") != 0, "no python3 with numpy");
  test::TempDir dir;
  const SafetensorsFile f = Sample();
  WriteSafetensors(dir / "m.safetensors", f);
  std::string out;
  const int status = test::RunCommand(std::string(AURIS_PYTHON) + " " + test::SourceDir() +
                                          "/tests/reference/safetensors_reader.py " + (dir / "m.safetensors"),
                                      &out);
  REQUIRE_MESSAGE(status == 0, out);
  const auto j = nlohmann::json::parse(out);
  CHECK(j["metadata"] == nlohmann::json(f.metadata));
  REQUIRE(j["tensors"].size() == f.tensors.size());
  for (const auto& t : f.tensors) {
    CAPTURE(t.name);
    const auto& r = j["tensors"][t.name];
    CHECK(r["shape"].get<std::vector<std::int64_t>>() == t.shape);
    CHECK(r["values"].get<std::vector<float>>() == t.data);
  }
}

TEST_CASE("safetensors writer: rejects invalid input") {
  SafetensorsFile f = Sample();
  f.tensors.push_back({"w", {1}, {0.0f}});
  CHECK_THROWS_WITH_AS(SafetensorsBytes(f), doctest::Contains("duplicate tensor name 'w'"), Error);
  f = Sample();
  f.tensors[0].shape = {4, 2};
  CHECK_THROWS_WITH_AS(SafetensorsBytes(f), doctest::Contains("shape needs 8"), Error);
  f = Sample();
  f.tensors[0].name = "__metadata__";
  CHECK_THROWS_WITH_AS(SafetensorsBytes(f), doctest::Contains("invalid tensor name"), Error);
  f = Sample();
  f.metadata["labels"] = "\xff";
  CHECK_THROWS_WITH_AS(SafetensorsBytes(f), doctest::Contains("not UTF-8"), Error);
}

// A file from a header text and `data_size` bytes of buffer; `declared`
// overrides the header length field.
std::string Build(const std::string& header, std::size_t data_size, std::int64_t declared = -1) {
  std::string bytes(8, '\0');
  const std::uint64_t n = declared >= 0 ? static_cast<std::uint64_t>(declared) : header.size();
  std::memcpy(bytes.data(), &n, 8);
  return bytes + header + std::string(data_size, '\x01');
}

void CheckRejected(const std::string& bytes, const std::string& problem) {
  CAPTURE(problem);
  std::string message;
  try {
    ParseSafetensors(bytes, "bad.safetensors");
  } catch (const Error& e) {
    message = e.what();
  }
  CHECK_MESSAGE(message.find("bad.safetensors") != std::string::npos, message);
  CHECK_MESSAGE(message.find(problem) != std::string::npos, message);
}

TEST_CASE("safetensors: corrupt files give clear errors") {
  const std::string ok = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  CHECK_NOTHROW(ParseSafetensors(Build(ok, 8), "good"));
  CheckRejected(std::string("\x05\x00\x00", 3), "shorter than the 8-byte header length");
  CheckRejected(Build(ok, 8, 5000), "beyond the end of the file");
  CheckRejected(Build(ok, 8, std::int64_t{1} << 40), "exceeds the 100 MB limit");
  CheckRejected(Build(ok.substr(0, ok.size() - 1), 8), "not valid JSON");
  CheckRejected(Build("{\"a\": \"\xff\xfe\"}", 0), "not valid JSON");  // invalid UTF-8
  CheckRejected(Build("[1, 2]", 0), "not a JSON object");
  CheckRejected(Build(R"({"a":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}})", 8), "unsupported dtype 'Q7'");
  CheckRejected(Build(R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}})", 8), "unsupported dtype 'U8'");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8), "needs 12 bytes");
  CheckRejected(Build(R"({"a":{"dtype":"F16","shape":[2,2],"data_offsets":[0,4]}})", 4), "needs 8 bytes");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4), "outside the byte buffer");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})", 8), "outside the byte buffer");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
                          "b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12), "overlaps");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},
                          "b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 12), "hole");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8), "hole");
  CheckRejected(Build(ok, 12), "cover 8 bytes but the byte buffer has 12");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":3}})", 8),
                "value of 'k' is not a string");
  CheckRejected(Build(R"({"__metadata__":["x"]})", 0), "__metadata__ is not an object");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},
                          "a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8), "duplicate key 'a'");
  CheckRejected(Build(R"({"__metadata__":{"k":"1","k":"2"}})", 0), "duplicate key 'k'");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[2]}})", 8), "missing \"data_offsets\"");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8), "non-negative integer");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0.0,8]}})", 8), "non-negative integer");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":2,"data_offsets":[0,8]}})", 8), "shape is not an array");
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", 8), "not [begin, end]");
  CheckRejected(Build(R"({"a":[1]})", 0), "entry is not an object");
  // Element count overflowing 64 bits must not wrap around to a small size.
  CheckRejected(Build(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,0]}})", 0),
                "exceeds the file size");
  // Truncated: the header promises more data than the file holds.
  const std::string good = SafetensorsBytes(Sample());
  CheckRejected(good.substr(0, good.size() - 3), "outside the byte buffer");
}

TEST_CASE("safetensors: missing file, directory") {
  CHECK_THROWS_WITH_AS(ReadSafetensors("/nonexistent/m.safetensors"),
                       doctest::Contains("cannot open safetensors file /nonexistent/m.safetensors"), Error);
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(ReadSafetensors(dir.path().string()), doctest::Contains(dir.path().string().c_str()), Error);
}

}  // namespace
}  // namespace auris::io
