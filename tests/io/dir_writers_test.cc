// npy:DIR and htk:DIR writers, checked by numpy.
#include <doctest/doctest.h>

#include <filesystem>

#include "auris/core/error.h"
#include "auris/io/dir_writers.h"
#include "auris/io/feature_reader.h"
#include "auris/io/feature_writer.h"
#include "auris/io/htk.h"
#include "io_test_util.h"

using namespace auris;
using namespace auris::io;
using namespace auris::test;

namespace {
Matrix Numbered(int rows, int cols, float scale) {
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = scale * static_cast<float>(i) - 3.5f;
  return m;
}
}  // namespace

TEST_CASE("npy:DIR — one .npy per utterance plus index.txt, checked by numpy") {
  AURIS_SKIP_IF(!HaveNumpy(), AURIS_PYTHON << " has no numpy");
  TempDir dir;
  const std::string out = dir / "feats";
  auto w = OpenFeatureWriter("npy:" + out);
  w->Write("a", Numbered(5, 13, 0.25f));
  w->Write("b", Numbered(1, 40, -1.5f));
  CHECK(!std::filesystem::exists(out + "/index.txt"));
  w->Close();
  CHECK(ReadFile(out + "/index.txt") == "a a.npy 5 13\nb b.npy 1 40\n");
  std::filesystem::create_directories(dir / "np");
  CHECK(RunFormatsScript("read-npydir " + out + " " + (dir / "np")).find("OK 2") != std::string::npos);
  CHECK((LoadNumpy(dir / "np/a.npy").cast<float>().array() == Numbered(5, 13, 0.25f).array()).all());
  CHECK((LoadNumpy(dir / "np/b.npy").cast<float>().array() == Numbered(1, 40, -1.5f).array()).all());
  // auris reads the directory back.
  SequentialMatrixReader r("npy:" + out);
  CHECK(r.Key() == "a");
  CHECK((r.Value().array() == Numbered(5, 13, 0.25f).array()).all());
  r.Next();
  CHECK(r.Key() == "b");
  r.Next();
  CHECK(r.Done());
  CHECK(RandomAccessMatrixReader("npy:" + out).Value("b").cols() == 40);
}

TEST_CASE("directory writers: odd ids map to distinct files, repeats are errors") {
  CHECK(UttidToFileStem("spk1/utt") == "spk1%2Futt");
  CHECK(UttidToFileStem("..x") == "%2E.x");
  CHECK(UttidToFileStem("50%") == "50%25");
  CHECK(UttidToFileStem("plain-id_1.2") == "plain-id_1.2");
  TempDir dir;
  NpyDirWriter w(dir / "out");
  w.Write("spk1/utt", Numbered(2, 2, 1));
  CHECK(std::filesystem::exists(dir / "out/spk1%2Futt.npy"));
  CHECK_THROWS_WITH_AS(w.Write("spk1/utt", Numbered(2, 2, 1)), doctest::Contains("written twice"), Error);
  CHECK_THROWS_WITH_AS(w.Write("has space", Numbered(2, 2, 1)), doctest::Contains("whitespace"), Error);
}

TEST_CASE("htk:DIR — big-endian header and data, checked by numpy") {
  AURIS_SKIP_IF(!HaveNumpy(), AURIS_PYTHON << " has no numpy");
  CHECK(HtkParmKind(kHtkMfcc) == 6);
  CHECK(HtkParmKind(kHtkMfcc, true) == 6 + 64);               // MFCC_E
  CHECK(HtkParmKind(kHtkMfcc, false, true, 2) == 6 + 8192 + 256 + 512);  // MFCC_0_D_A
  CHECK(HtkParmKind(kHtkFbank) == 7);
  TempDir dir;
  FeatureWriterOptions opts;
  opts.htk.frame_shift_ms = 10;
  opts.htk.parm_kind = HtkParmKind(kHtkMfcc, false, true);
  auto w = OpenFeatureWriter("htk:" + (dir / "htk"), opts);
  const Matrix m = Numbered(7, 13, 0.125f);
  w->Write("utt1", m);
  w->Close();
  const std::string out = RunFormatsScript("read-htk " + (dir / "htk/utt1.htk") + " " + (dir / "h.npy"));
  CHECK(out == "7 100000 52 8198\n");  // nSamples, 10 ms in 100 ns, 13*4 bytes, MFCC_0
  CHECK((LoadNumpy(dir / "h.npy").cast<float>().array() == m.array()).all());
  const HtkFile f = ReadHtk(dir / "htk/utt1.htk");
  CHECK(f.header.parm_kind == 8198);
  CHECK((f.features.array() == m.array()).all());
  CHECK(ReadFile(dir / "htk/index.txt") == "utt1 utt1.htk 7 13\n");
}
