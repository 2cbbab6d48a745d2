// End-to-end tests of `auris features`: output formats read back by an
// independent numpy reader, determinism across threads and shards, bad input
// handling, wav.scp pipes and segments, and parity with torchaudio.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "auris/audio/write.h"
#include "auris/io/feature_reader.h"
#include "auris/io/htk.h"
#include "cli_support.h"
#include "tolerances.h"

using namespace auris;
using namespace auris::test;

namespace {

std::string Python() { return AURIS_PYTHON; }

bool HavePython(const std::string& modules) {
  return RunCommand(Python() + " -c 'import " + modules + "'") == 0;
}

void MakeCorpus(const TempDir& dir, int n) {
  std::filesystem::create_directories(dir / "wavs/spk1");
  for (int i = 0; i < n; ++i)
    WriteTestWav(dir / ("wavs/" + std::string(i % 2 ? "spk1/" : "") + "u" + std::to_string(i) + ".wav"),
                 0.3 + 0.1 * i, 16000, i + 1);
}

}  // namespace

TEST_CASE("features: ark/scp, npy and htk outputs hold the same matrices (independent numpy reader)") {
  AURIS_SKIP_IF(!HavePython("numpy"), "numpy not available to " << Python());
  TempDir dir;
  MakeCorpus(dir, 4);
  // Absolute paths: scp entries hold the ark path as given, as in Kaldi.
  for (const std::string& out : {"ark,scp:" + (dir / "feats.ark") + "," + (dir / "feats.scp"),
                                std::string("npy:npy"), std::string("htk:htk")}) {
    const auto r = RunAuris("features --add-deltas wavs " + out, dir);
    CHECK_MESSAGE(r.status == 0, r.err);
    CHECK(r.err.find("Done 4 of 4 utterances, 0 failed") != std::string::npos);
  }
  std::string output;
  const int rc = RunCommand(Python() + " " + SourceDir() + "/tests/cli/read_outputs.py " +
                                (dir / "feats.ark") + " " + (dir / "feats.scp") + " " + (dir / "npy") +
                                " " + (dir / "htk"),
                            &output);
  CHECK_MESSAGE(rc == 0, output);
  CHECK(output.find("OK 4 utterances") != std::string::npos);
  // Directory order, ids from relative paths.
  const std::string scp = ReadFile(dir / "feats.scp");
  CHECK(scp.find("spk1-u1 ") != std::string::npos);
  CHECK(scp.find("u0 ") < scp.find("u2 "));
  io::SequentialMatrixReader reader("scp:" + (dir / "feats.scp"));
  REQUIRE(!reader.Done());
  CHECK(reader.Value().cols() == 39);  // 13 MFCC + deltas + delta-deltas
  // No temporary files left behind.
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path()))
    CHECK_MESSAGE(e.path().string().find(".tmp.") == std::string::npos, e.path());
}

TEST_CASE("features: output is identical for 1 and 2 threads and shards concatenate to the whole") {
  TempDir dir;
  MakeCorpus(dir, 7);
  CHECK(RunAuris("features --num-threads 1 wavs ark:one.ark", dir).status == 0);
  CHECK(RunAuris("features --num-threads 2 wavs ark:two.ark", dir).status == 0);
  const std::string one = ReadFile(dir / "one.ark");
  CHECK(one.size() > 1000);
  CHECK(one == ReadFile(dir / "two.ark"));
  std::string joined;
  for (int k = 1; k <= 3; ++k) {
    const auto r = RunAuris("features --shard " + std::to_string(k) + "/3 wavs ark:s" +
                                std::to_string(k) + ".ark",
                            dir);
    CHECK(r.status == 0);
    joined += ReadFile(dir / ("s" + std::to_string(k) + ".ark"));
  }
  CHECK(joined == one);
  const auto bad = RunAuris("features --shard 4/3 wavs ark:x.ark", dir);
  CHECK(bad.status != 0);
  CHECK(bad.err.find("--shard") != std::string::npos);
}

TEST_CASE("features: every kind of bad input gets one error line, the rest is written, exit 1") {
  TempDir dir;
  MakeCorpus(dir, 2);
  const std::string good0 = dir / "wavs/u0.wav";
  const std::string wav = ReadFile(good0);
  WriteFile(dir / "empty.wav", "");
  WriteFile(dir / "truncated.wav", wav.substr(0, 44 + (wav.size() - 44) / 3));
  WriteFile(dir / "notaudio.wav", "this is not audio at all, just some text\n");
  std::string corrupt = wav;
  for (int i = 12; i < 36; ++i) corrupt[i] = static_cast<char>(0xA5);
  WriteFile(dir / "corrupt.wav", corrupt);
  std::vector<float> nan(16000, 100.0f / 32768);
  nan[1234] = std::numeric_limits<float>::quiet_NaN();
  audio::WriteWav(dir / "nan.wav", nan, 16000, 1, audio::SampleEncoding::kFloat);
  WriteTestWav(dir / "short.wav", 0.01, 16000, 3);   // 160 samples < one 400-sample frame
  WriteTestWav(dir / "rate8k.wav", 0.5, 8000, 4);
  std::ofstream(dir / "inputs.lst") << "wavs/u0.wav\nmissing.wav\nempty.wav\ntruncated.wav\n"
                                       "notaudio.wav\ncorrupt.wav\nnan.wav\nshort.wav\nrate8k.wav\n"
                                       "wavs/spk1/u1.wav\n";
  std::ofstream(dir / "pipes.scp") << "pipe_ok cat wavs/u0.wav |\npipe_fail sh -c 'echo boom >&2; exit 3' |\n";

  const auto r = RunAuris("features list:inputs.lst scp:pipes.scp ark,scp:" + (dir / "out.ark") + "," +
                              (dir / "out.scp"),
                          dir);
  CHECK(r.status == 1);
  INFO(r.err);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"missing", "missing.wav"},   {"empty", "empty"},        {"truncated", "truncated.wav"},
      {"notaudio", "notaudio.wav"}, {"corrupt", "corrupt.wav"}, {"nan", "nan.wav"},
      {"short", "too short"},       {"rate8k", "--allow-upsample"}, {"pipe_fail", "exit status 3"}};
  for (const auto& [uttid, detail] : expected) {
    const auto lines = LinesWith(r.err, "error: " + uttid + ":");
    CHECK_MESSAGE(lines.size() == 1, uttid);
    if (lines.size() == 1) CHECK_MESSAGE(lines[0].find(detail) != std::string::npos, lines[0]);
  }
  CHECK(LinesWith(r.err, "error:").size() == expected.size());
  CHECK(r.err.find("Done 3 of 12 utterances, 9 failed") != std::string::npos);
  io::RandomAccessMatrixReader out("scp:" + (dir / "out.scp"));
  CHECK(out.Keys() == std::vector<std::string>{"u0", "u1", "pipe_ok"});
  CHECK(out.Value("pipe_ok") == out.Value("u0"));

  // With the allow flag the 8 kHz file is resampled instead.
  CHECK(RunAuris("features --allow-upsample rate8k.wav ark:r.ark", dir).status == 0);
  // A missing input spec, a bad option value, an unwritable output: clean errors.
  CHECK(RunAuris("features nothing_here.wav ark:x.ark", dir).err.find("nothing_here.wav") != std::string::npos);
  const auto bad_opt = RunAuris("features --num-ceps 40 wavs ark:x.ark", dir);
  CHECK(bad_opt.status != 0);
  CHECK(bad_opt.err.find("--num-ceps") != std::string::npos);
  const auto bad_dir = RunAuris("features wavs ark:no/such/dir/x.ark", dir);
  CHECK(bad_dir.status != 0);
  CHECK(bad_dir.err.find("no/such/dir/x.ark") != std::string::npos);
}

TEST_CASE("features --trim-silence: an input longer than the limit fails by name, the others are written, exit 1") {
  TempDir dir;
  WriteTestWav(dir / "word.wav", 1.0, 16000, 1);
  WriteTestWav(dir / "long.wav", 3.0, 16000, 2);
  const auto r = RunAuris("features --trim-silence --trim-max-seconds 2 word.wav long.wav ark:out.ark", dir);
  INFO(r.err);
  CHECK(r.status == 1);
  const auto lines = LinesWith(r.err, "error:");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].starts_with("auris features: error: long: "));
  CHECK(lines[0].ends_with("long.wav: longer than 2 s, the most trimming to speech holds in memory"));
  CHECK(r.err.find("Done 1 of 2 utterances, 1 failed") != std::string::npos);
  io::RandomAccessMatrixReader out("ark:" + (dir / "out.ark"));
  CHECK(out.Keys() == std::vector<std::string>{"word"});
  // Under the limit the long input is trimmed and written.
  CHECK(RunAuris("features --trim-silence --trim-max-seconds 3.5 long.wav ark:ok.ark", dir).status == 0);

  // The default limit, 10 minutes: 601 s of 8-kHz audio fails once 600 s are read.
  audio::WriteWav(dir / "hour.wav", std::vector<float>(601 * 8000, 0.0f), 8000);
  const auto d = RunAuris("features --trim-silence --sample-frequency 8000 hour.wav ark:h.ark", dir);
  CHECK(d.status == 1);
  CHECK_MESSAGE(LinesWith(d.err, "error: hour: hour.wav: longer than 600 s").size() == 1, d.err);
  const auto zero = RunAuris("features --trim-silence --trim-max-seconds 0 word.wav ark:z.ark", dir);
  CHECK(zero.status != 0);
  CHECK_MESSAGE(LinesWith(zero.err, "the longest input must be > 0 s").size() == 1, zero.err);
  // Only with --trim-silence.
  CHECK(RunAuris("features --trim-max-seconds 5 word.wav ark:n.ark", dir).status != 0);
}

TEST_CASE("features: a full disk is reported, not ignored") {
  AURIS_SKIP_IF(!std::filesystem::exists("/dev/full"), "/dev/full not present");
  TempDir dir;
  MakeCorpus(dir, 2);
  std::string err;
  RunCommand("cd '" + dir.path().string() + "' && { '" AURIS_EXE
             "' features wavs ark,t:- >/dev/full; echo \"status=$?\"; } 2>&1",
             &err);
  CHECK_MESSAGE(err.find("status=1") != std::string::npos, err);
  CHECK_MESSAGE(err.find("stdout: write failed: No space left on device") != std::string::npos, err);
}

TEST_CASE("features: wav.scp with segments cuts recordings as extract-segments does") {
  TempDir dir;
  MakeCorpus(dir, 1);
  std::ofstream(dir / "wav.scp") << "rec1 wavs/u0.wav\n";
  std::ofstream(dir / "segments") << "seg_a rec1 0.0 0.1\nseg_b rec1 0.1 -1\n";
  const auto r = RunAuris("features --segments segments scp:wav.scp ark:seg.ark", dir);
  CHECK_MESSAGE(r.status == 0, r.err);
  io::RandomAccessMatrixReader out("ark:" + (dir / "seg.ark"));
  CHECK(out.Keys() == std::vector<std::string>{"seg_a", "seg_b"});
  CHECK(out.Value("seg_a").rows() == 8);   // 1600 samples: 1 + (1600 - 400) / 160
  CHECK(out.Value("seg_b").rows() == 18);  // 3200 samples
}

TEST_CASE("features: --help lists every option with its default") {
  TempDir dir;
  const auto r = RunAuris("features --help", dir);
  CHECK(r.status == 0);
  for (const char* s : {"--sample-frequency", "--frame-length", "--frame-shift", "--dither",
                        "--preemphasis-coefficient", "--remove-dc-offset", "--window-type",
                        "--blackman-coeff", "--round-to-power-of-two", "--snip-edges",
                        "--num-mel-bins", "--low-freq", "--high-freq", "--num-ceps", "--use-energy",
                        "--energy-floor", "--raw-energy", "--cepstral-lifter", "--htk-compat",
                        "--use-log-fbank", "--use-power", "--preset", "--add-deltas", "--delta-order",
                        "--delta-window", "--cmvn", "--num-threads", "--shard", "--segments",
                        "--channel", "--allow-downsample", "--allow-upsample", "--output-format",
                        "--trim-silence", "--trim-max-seconds"})
    CHECK_MESSAGE(r.out.find(s) != std::string::npos, s);
  CHECK(r.out.find("--num-ceps INT=13") != std::string::npos);
  CHECK(r.out.find("--trim-max-seconds FLOAT=600") != std::string::npos);
  CHECK(r.out.find("--window-type TEXT=povey") != std::string::npos);
  CHECK(r.out.find("--snip-edges BOOL=true") != std::string::npos);
  CHECK(r.out.find("--lpc-order INT=12") != std::string::npos);
  CHECK(r.out.find("--compress-factor FLOAT=0.33333") != std::string::npos);
  CHECK(r.out.find("--cepstral-scale FLOAT=1") != std::string::npos);
  CHECK(r.out.find("mfcc, fbank, spectrogram or plp") != std::string::npos);
}

// No PLP reference is installable (Debian's torchaudio has none): the numbers
// are checked in tests/dsp/plp_test.cc; here the command line's plumbing.
TEST_CASE("features --type plp: Kaldi's PLP options, ark and HTK (PLP_E) outputs agree") {
  TempDir dir;
  MakeCorpus(dir, 2);
  const std::string opts = "features --type plp --lpc-order 14 --num-ceps 15 --htk-compat ";
  auto r = RunAuris(opts + "wavs ark:plp.ark", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  r = RunAuris(opts + "wavs htk:htk", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  io::SequentialMatrixReader reader("ark:" + (dir / "plp.ark"));
  int n = 0;
  for (; !reader.Done(); reader.Next(), ++n) {
    const Matrix& m = reader.Value();
    CHECK(m.cols() == 15);
    CHECK(m.rows() > 10);
    CHECK(m.allFinite());
    const io::HtkFile htk = io::ReadHtk(dir / ("htk/" + reader.Key() + ".htk"));
    CHECK(htk.header.parm_kind == (io::kHtkPlp | io::kHtkQualE));  // energy last
    CHECK(htk.features == m);
  }
  CHECK(n == 2);
  r = RunAuris("features --type plp --num-ceps 14 wavs ark:bad.ark", dir);
  CHECK(r.status != 0);
  CHECK(r.err.find("--num-ceps (14) must be <= --lpc-order + 1 (13)") != std::string::npos);
  r = RunAuris("features --type plp --preset librosa wavs ark:bad.ark", dir);
  CHECK(r.status != 0);
  CHECK(r.err.find("no PLP") != std::string::npos);
}

TEST_CASE("features: numbers match torchaudio.compliance.kaldi through the command line") {
  AURIS_SKIP_IF(!HavePython("torchaudio"), "torchaudio not available to " << Python());
  const std::string fsdd = FsddDir();
  TempDir dir;
  const std::string wav = fsdd.empty() ? dir / "x.wav" : fsdd + "/7_jackson_32.wav";
  if (fsdd.empty()) WriteTestWav(wav, 0.8, 8000, 9);
  for (const std::string& type : {std::string("mfcc"), std::string("fbank")}) {
    const auto r = RunAuris("features --type " + type + " --sample-frequency 8000 --num-mel-bins 23 " +
                                wav + " npy:out_" + type, dir);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    const std::string stem = std::filesystem::path(wav).stem();
    const std::string script =
        "import sys, numpy as np, torch, torchaudio\n"
        "torch.set_num_threads(1)\n"
        "w, sr = torchaudio.load(sys.argv[1], normalize=False)\n"
        "w = w.to(torch.float64)\n"
        "kw = dict(use_energy=True) if sys.argv[3] == 'mfcc' else {}  # Kaldi's defaults\n"
        "f = getattr(torchaudio.compliance.kaldi, sys.argv[3])(w, sample_frequency=sr, dither=0.0, num_mel_bins=23, **kw)\n"
        "a = np.load(sys.argv[2])\n"
        "print(np.abs(a - f.numpy()).max() if a.shape == tuple(f.shape) else 'shape', a.shape, tuple(f.shape))\n";
    WriteFile(dir / "cmp.py", script);
    std::string output;
    REQUIRE(RunCommand(Python() + " " + (dir / "cmp.py") + " " + wav + " " +
                           (dir / ("out_" + type + "/" + stem + ".npy")) + " " + type,
                       &output) == 0);
    INFO(output);
    const double diff = std::stod(output);
    CHECK(diff <= tol::kFeatureAbs);
  }
}

TEST_CASE("features: a progress line is drawn on a terminal only, and stdin lists work") {
  AURIS_SKIP_IF(RunCommand("command -v script") != 0, "util-linux 'script' not available");
  TempDir dir;
  MakeCorpus(dir, 3);
  // `script` gives the command a pseudo-terminal as stdout/stderr.
  std::string tty;
  RunCommand("cd '" + dir.path().string() + "' && script -qec \"'" AURIS_EXE
             "' features wavs ark:t.ark\" /dev/null",
             &tty);
  CHECK_MESSAGE(tty.find("3/3 files (0 failed)") != std::string::npos, tty);
  CHECK(tty.find("ETA") != std::string::npos);
  CHECK(tty.find("Done 3 of 3 utterances, 0 failed") != std::string::npos);
  // Not a terminal: the summary line only.
  const auto piped = RunAuris("features wavs ark:p.ark", dir);
  CHECK(piped.err.find("ETA") == std::string::npos);
  CHECK(ReadFile(dir / "p.ark") == ReadFile(dir / "t.ark"));
  // A list on stdin ("-").
  WriteFile(dir / "files.lst", "wavs/u0.wav\nwavs/spk1/u1.wav\nwavs/u2.wav\n");
  const auto from_stdin = RunAuris("features - ark:s.ark < files.lst", dir);
  CHECK(from_stdin.err.find("Done 3 of 3 utterances, 0 failed") != std::string::npos);
}
