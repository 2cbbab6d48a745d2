// Kaldi archives: auris's output parsed by an independent numpy reader (values
// and scp offsets), numpy-written archives read by auris, exact text format.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <limits>

#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/io/feature_reader.h"
#include "auris/io/feature_writer.h"
#include "auris/io/kaldi_ark_writer.h"
#include "auris/io/kaldi_matrix.h"
#include "io_test_util.h"

using namespace auris;
using namespace auris::io;
using namespace auris::test;

namespace {

std::vector<std::pair<std::string, Matrix>> TestMatrices() {
  std::vector<std::pair<std::string, Matrix>> out;
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0, 10);
  const int shapes[][2] = {{1, 13}, {98, 13}, {3, 40}, {250, 23}};
  int k = 0;
  for (const auto& s : shapes) {
    Matrix m(s[0], s[1]);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = normal(rng);
    out.emplace_back("utt" + std::to_string(k++), m);
  }
  out[0].second(0, 0) = 1e-30f;  // extremes survive text round trips too
  out[0].second(0, 1) = -3.4e38f;
  return out;
}

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("text ark has Kaldi's exact layout") {
  Matrix m(2, 3);
  m << 1, 2.5f, -3, 4, 0.1f, 6;
  std::string obj;
  AppendKaldiMatrix(m, false, &obj);
  CHECK(obj == " [\n  1 2.5 -3 \n  4 0.1 6 ]\n");
  obj.clear();
  AppendKaldiMatrix(Matrix(0, 0), false, &obj);
  CHECK(obj == " [ ]\n");
  // Binary: \0B, "FM ", size byte 4 + int32 rows, size byte 4 + int32 cols, floats.
  obj.clear();
  AppendKaldiMatrix(m, true, &obj);
  REQUIRE(obj.size() == 2 + 3 + 5 + 5 + 24);
  CHECK(obj.substr(0, 5) == std::string("\0BFM ", 5));
  CHECK(obj.substr(5, 5) == std::string("\x04\x02\0\0\0", 5));
  CHECK(obj.substr(10, 5) == std::string("\x04\x03\0\0\0", 5));
  float v;
  std::memcpy(&v, obj.data() + 15 + 4, 4);
  CHECK(v == 2.5f);
}

TEST_CASE("binary and text ark + scp written by auris, parsed by numpy") {
  AURIS_SKIP_IF(!HaveNumpy(), AURIS_PYTHON << " has no numpy");
  const auto mats = TestMatrices();
  for (const bool binary : {true, false}) {
    CAPTURE(binary);
    TempDir dir;
    const std::string ark = dir / "feats.ark", scp = dir / "feats.scp";
    auto writer = OpenFeatureWriter(std::string(binary ? "ark,scp:" : "ark,scp,t:") + ark + "," + scp);
    for (const auto& [key, m] : mats) writer->Write(key, m);
    CHECK(!std::filesystem::exists(ark));  // only the temporary exists before Close
    writer->Close();
    std::filesystem::create_directories(dir / "np");
    const std::string out = RunFormatsScript("read-ark " + ark + " " + scp + " " + (dir / "np"));
    CHECK(Has(out, "OK 4"));
    for (const auto& [key, m] : mats) {
      const MatrixD got = LoadNumpy(dir / ("np/" + key + ".npy"));
      REQUIRE(got.rows() == m.rows());
      REQUIRE(got.cols() == m.cols());
      CHECK((got.cast<float>().array() == m.array()).all());  // exact, text included
    }
    // And auris reads its own output back, sequentially and by key.
    SequentialMatrixReader seq("ark:" + ark);
    for (const auto& [key, m] : mats) {
      REQUIRE(!seq.Done());
      CHECK(seq.Key() == key);
      CHECK((seq.Value().array() == m.array()).all());
      seq.Next();
    }
    CHECK(seq.Done());
    RandomAccessMatrixReader random("scp:" + scp);
    CHECK(random.Keys().size() == mats.size());
    CHECK((random.Value("utt2").array() == mats[2].second.array()).all());
    CHECK(!random.HasKey("nope"));
    CHECK_THROWS_WITH_AS(random.Value("nope"), doctest::Contains("nope"), Error);
  }
}

TEST_CASE("archives written by numpy (FM, DM, text, empty) are read by auris") {
  AURIS_SKIP_IF(!HaveNumpy(), AURIS_PYTHON << " has no numpy");
  TempDir dir;
  RunFormatsScript("write-ark " + dir.path().string());
  const std::vector<std::string> keys = {"utt_fm", "utt_dm", "utt_text", "utt_empty"};
  for (const std::string& rspec : {"ark:" + (dir / "in.ark"), "scp:" + (dir / "in.scp")}) {
    CAPTURE(rspec);
    SequentialMatrixReader reader(rspec);
    for (const std::string& key : keys) {
      REQUIRE(!reader.Done());
      CHECK(reader.Key() == key);
      const MatrixD expect = LoadNumpy(dir / (key + ".npy"));
      REQUIRE(reader.Value().rows() == expect.rows());
      CHECK((reader.Value().array() == expect.cast<float>().array()).all());
      reader.Next();
    }
    CHECK(reader.Done());
  }
  // Doubles keep full precision through the MatrixD path (CMVN stats are "DM").
  const std::string scp = ReadFile(dir / "in.scp");
  const auto line = scp.find("utt_dm ");
  const auto nl = scp.find('\n', line);
  const std::string rx = scp.substr(line + 7, nl - line - 7);  // "<dir>/in.ark:<offset>"
  const MatrixD dm = ReadKaldiMatrixD(rx);
  CHECK((dm.array() == LoadNumpy(dir / "utt_dm.npy").array()).all());
}

TEST_CASE("a global CMVN stats file (binary DM matrix, no key) reads as MatrixD") {
  TempDir dir;
  MatrixD stats(2, 4);
  stats << 10.5, -3.25, 7, 100, 20.125, 4, 9, 0;
  for (const bool binary : {true, false}) {
    std::string bytes;
    AppendKaldiMatrix(stats, binary, &bytes);
    WriteFile(dir / "cmvn.mat", bytes);
    const MatrixD got = ReadKaldiMatrixD(dir / "cmvn.mat");
    CHECK((got.array() == stats.array()).all());
  }
}

TEST_CASE("specifiers: Kaldi's options and errors") {
  auto w = ParseKaldiWspecifier("ark,scp,t,f:a.ark,a.scp");
  CHECK(w.ark_path == "a.ark");
  CHECK(w.scp_path == "a.scp");
  CHECK(!w.binary);
  CHECK(w.flush);
  w = ParseKaldiWspecifier("ark,b:-");
  CHECK(w.ark_path == "-");
  CHECK(w.binary);
  CHECK(w.scp_path.empty());
  CHECK_THROWS_WITH_AS(ParseKaldiWspecifier("scp,ark:a.scp,a.ark"), doctest::Contains("ark,scp"), Error);
  CHECK_THROWS_WITH_AS(ParseKaldiWspecifier("ark,x:a.ark"), doctest::Contains("unknown option 'x'"), Error);
  CHECK_THROWS_WITH_AS(ParseKaldiWspecifier("ark,scp:a.ark"), doctest::Contains("two file names"), Error);
  CHECK_THROWS_AS(ParseKaldiWspecifier("feats.ark"), Error);
  auto r = ParseKaldiRspecifier("scp,p,s,cs:feats.scp");
  CHECK(r.kind == KaldiRspecifier::Kind::kScript);
  CHECK(r.permissive);
  CHECK(r.sorted);
  CHECK(r.path == "feats.scp");
  CHECK(ParseKaldiRspecifier("ark,t,o:-").kind == KaldiRspecifier::Kind::kArchive);
  CHECK_THROWS_AS(ParseKaldiRspecifier("ark,scp:x"), Error);
  CHECK(ParseRxFilename("a/b.ark:1234").offset == 1234);
  CHECK(ParseRxFilename("a/b.ark:1234").path == "a/b.ark");
  CHECK(ParseRxFilename("c:/x.mat").offset == -1);
  CHECK_THROWS_WITH_AS(OpenFeatureWriter("feats.ark"), doctest::Contains("npy:DIR"), Error);
}

TEST_CASE("ark,t:- writes Kaldi text to stdout") {
  TempDir dir;
  const std::string captured = dir / "stdout.txt";
  std::fflush(stdout);
  const int saved = dup(1);
  const int fd = open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  dup2(fd, 1);
  close(fd);
  {
    auto w = OpenFeatureWriter("ark,t:-");
    Matrix a(1, 2);
    a << 0.5f, -1;
    w->Write("first", a);
    w->Write("second", Matrix(Matrix::Constant(2, 1, 3)));
    w->Close();
  }
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  CHECK(ReadFile(captured) == "first  [\n  0.5 -1 ]\nsecond  [\n  3 \n  3 ]\n");
}

TEST_CASE("an abandoned writer leaves no archive, no scp and no temporary") {
  TempDir dir;
  {
    KaldiArkWriter w("ark,scp:" + (dir / "f.ark") + "," + (dir / "f.scp"));
    w.Write("u1", Matrix::Ones(3, 4));
  }  // destroyed without Close(), like a failed run
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("write errors (file size limit, as on a full disk) name the file") {
  TempDir dir;
  rlimit old{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 64 * 1024;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string error;
  try {
    KaldiArkWriter w("ark:" + (dir / "big.ark"));
    for (int i = 0; i < 20; ++i) w.Write("utt" + std::to_string(i), Matrix::Ones(100, 40));
    w.Close();
  } catch (const Error& e) {
    error = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  CHECK(Has(error, dir / "big.ark"));
  CHECK(Has(error, "write failed"));
  CHECK(!std::filesystem::exists(dir / "big.ark"));
}

TEST_CASE("corrupt archives give errors naming the file") {
  TempDir dir;
  std::string good = "u1 ";
  AppendKaldiMatrix(Matrix(Matrix::Ones(10, 10)), true, &good);
  WriteFile(dir / "cut.ark", good.substr(0, good.size() - 7));
  CHECK_THROWS_WITH_AS(SequentialMatrixReader("ark:" + (dir / "cut.ark")),
                       doctest::Contains("truncated"), Error);
  std::string huge = good;
  huge[3 + 2 + 3 + 1] = '\x7f';  // rows -> 127 + ...: must not allocate blindly
  huge[3 + 2 + 3 + 4] = '\x7f';
  WriteFile(dir / "huge.ark", huge);
  CHECK_THROWS_WITH_AS(SequentialMatrixReader("ark:" + (dir / "huge.ark")),
                       doctest::Contains("huge.ark"), Error);
  // A compressed matrix claiming 1000 x 1000 in 40 bytes.
  std::string cm = std::string("u1 \0BCM ", 8);
  const float header_f[2] = {0, 1};
  const std::int32_t header_i[2] = {1000, 1000};
  cm.append(reinterpret_cast<const char*>(header_f), 8).append(reinterpret_cast<const char*>(header_i), 8);
  WriteFile(dir / "cm.ark", cm + std::string(40, '\0'));
  CHECK_THROWS_WITH_AS(SequentialMatrixReader("ark:" + (dir / "cm.ark")),
                       doctest::Contains("compressed"), Error);
}

namespace {
// "\0B" + token + Kaldi's 16-byte global header (min, range, rows, cols).
std::string CompressedHeader(const char* token, float min, float range, std::int32_t rows, std::int32_t cols) {
  std::string s("\0B", 2);
  s += token;
  s.append(reinterpret_cast<const char*>(&min), 4).append(reinterpret_cast<const char*>(&range), 4);
  s.append(reinterpret_cast<const char*>(&rows), 4).append(reinterpret_cast<const char*>(&cols), 4);
  return s;
}
}  // namespace

TEST_CASE("Kaldi compressed matrices (CM, CM2, CM3) decode to hand-computed values") {
  TempDir dir;
  // CM: per-column uint16 percentiles (p0, p25, p75, p100) of min + range * v / 65535,
  // then bytes column by column: 0..64 -> p0..p25, 64..192 -> p25..p75, 192..255 -> p75..p100.
  std::string cm = CompressedHeader("CM ", 0, 65535, 5, 2);  // so a percentile v decodes to v
  const std::uint16_t pct[8] = {0, 64, 192, 255, 1000, 2000, 3000, 4000};
  cm.append(reinterpret_cast<const char*>(pct), sizeof pct);
  const unsigned char bytes[10] = {0, 10, 64, 200, 255, /* column 2: */ 0, 64, 128, 192, 255};
  cm.append(reinterpret_cast<const char*>(bytes), sizeof bytes);
  WriteFile(dir / "cm.mat", cm);
  Matrix m = ReadKaldiMatrix(dir / "cm.mat");
  REQUIRE(m.rows() == 5);
  REQUIRE(m.cols() == 2);
  Matrix expect(5, 2);
  expect << 0, 1000, 10, 2000, 64, 2500, 200, 3000, 255, 4000;
  CHECK((m.array() == expect.array()).all());

  // CM2: row-major uint16, min + v * (range / 65535).
  std::string cm2 = CompressedHeader("CM2 ", -2, 65535 * 0.5f, 1, 3);
  const std::uint16_t v2[3] = {0, 4, 65535};
  cm2.append(reinterpret_cast<const char*>(v2), sizeof v2);
  WriteFile(dir / "cm2.mat", cm2);
  m = ReadKaldiMatrix(dir / "cm2.mat");
  CHECK(m(0, 0) == -2.0f);
  CHECK(m(0, 1) == 0.0f);
  CHECK(m(0, 2) == doctest::Approx(32765.5f));
  // CM3: row-major bytes, min + v * (range / 255).
  std::string cm3 = CompressedHeader("CM3 ", 1, 255, 2, 2);
  const unsigned char v3[4] = {0, 1, 254, 255};
  cm3.append(reinterpret_cast<const char*>(v3), sizeof v3);
  WriteFile(dir / "cm3.mat", cm3);
  m = ReadKaldiMatrix(dir / "cm3.mat");
  Matrix e3(2, 2);
  e3 << 1, 2, 255, 256;
  CHECK((m.array() == e3.array()).all());
}
