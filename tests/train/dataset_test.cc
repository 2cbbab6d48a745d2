// Data specs (DIR, list:FILE, kaldi:DIR) on hand-made layouts: which entries
// become examples (ids, paths, labels, speakers, segments), which become
// problems, and which specs are errors. No audio is decoded here, so the
// "audio" files are empty.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "auris/core/error.h"
#include "auris/train/dataset.h"
#include "test_support.h"

using namespace auris;
using namespace auris::test;
namespace fs = std::filesystem;

namespace {

void Touch(const TempDir& dir, const std::string& rel) {
  const fs::path p = dir.path() / rel;
  fs::create_directories(p.parent_path());
  std::ofstream(p).put('\0');
}

std::vector<std::string> Ids(const train::DataSet& d) {
  std::vector<std::string> ids;
  for (const auto& e : d.examples) ids.push_back(e.source.uttid);
  return ids;
}

std::string ErrorOf(const std::string& spec) {
  try {
    train::ReadDataSpec(spec);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("data spec DIR: label subfolders, nested files, '_' folders and stray files skipped") {
  TempDir dir;
  Touch(dir, "data/yes/a.wav");
  Touch(dir, "data/yes/spk2/b.flac");  // nested: still label "yes"
  Touch(dir, "data/yes/README.txt");   // not audio
  Touch(dir, "data/no/c.wav");
  Touch(dir, "data/_background_noise_/noise.wav");
  Touch(dir, "data/stray.wav");  // not in a label folder
  const train::DataSet d = train::ReadDataSpec(dir / "data");
  CHECK(d.problems.empty());
  REQUIRE(d.examples.size() == 3);
  // Labels in sorted order, files in path order within each.
  CHECK(Ids(d) == std::vector<std::string>{"no-c", "yes-a", "yes-spk2-b"});
  CHECK(d.examples[0].label == "no");
  CHECK(d.examples[1].label == "yes");
  CHECK(d.examples[2].label == "yes");
  CHECK(fs::equivalent(d.examples[2].source.path, dir / "data/yes/spk2/b.flac"));
  CHECK(d.examples[0].speaker.empty());
  CHECK(train::DistinctLabels(d.examples) == std::vector<std::string>{"no", "yes"});

  // Only skipped folders: nothing to train on is an error naming the directory.
  Touch(dir, "empty/_noise/n.wav");
  const std::string err = ErrorOf(dir / "empty");
  CHECK_MESSAGE(err.find(dir / "empty") != std::string::npos, err);
  CHECK_MESSAGE(err.find("no audio files") != std::string::npos, err);
}

TEST_CASE("data spec list: paths relative to the list's folder, comments, missing labels as problems") {
  TempDir dir;
  fs::create_directories(dir.path() / "lists");
  const std::string abs = dir / "elsewhere/abs.wav";
  std::ofstream(dir / "lists/train.lst") << "# a comment line\n"
                                            "\n"
                                            "../audio/one.wav  yes\n"
                                            "two.wav\tno\r\n"
                                            "./sub/three.wav up\n"
                                            "four.wav\n"
                                            "   \n"
                                            "five.wav  turn   the light  on \n"
                                         << abs << " down\n";
  const train::DataSet d = train::ReadDataSpec("list:" + (dir / "lists/train.lst"));
  CHECK(d.spec == "list:" + (dir / "lists/train.lst"));
  REQUIRE(d.examples.size() == 5);
  CHECK(d.examples[0].source.path == dir / "audio/one.wav");
  CHECK(d.examples[0].label == "yes");
  CHECK(d.examples[1].source.path == dir / "lists/two.wav");
  CHECK(d.examples[1].label == "no");  // tab separated, CRLF line end
  CHECK(d.examples[2].source.path == dir / "lists/sub/three.wav");
  CHECK(d.examples[3].label == "turn the light on");  // a transcript, blanks collapsed
  CHECK(d.examples[4].source.path == abs);
  CHECK(d.examples[4].label == "down");
  // Ids from the path as written, '/' -> '-', without "./" or "../".
  CHECK(d.examples[0].source.uttid == "audio-one");
  CHECK(d.examples[1].source.uttid == "two");
  CHECK(d.examples[2].source.uttid == "sub-three");
  CHECK(d.examples[3].source.uttid == "five");
  CHECK(d.examples[4].source.uttid.find("elsewhere-abs") != std::string::npos);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].where == (dir / "lists/train.lst") + ":6");
  CHECK(d.problems[0].reason.find("no label") != std::string::npos);
}

TEST_CASE("data spec list: duplicate ids and missing lists are errors naming the spec") {
  TempDir dir;
  std::ofstream(dir / "dup.lst") << "a.wav yes\nb.wav no\na.flac no\n";
  std::string err = ErrorOf("list:" + (dir / "dup.lst"));
  CHECK_MESSAGE(err.find(dir / "dup.lst") != std::string::npos, err);
  CHECK_MESSAGE(err.find("duplicate id 'a'") != std::string::npos, err);

  err = ErrorOf("list:" + (dir / "missing.lst"));
  CHECK_MESSAGE(err.find(dir / "missing.lst") != std::string::npos, err);
  err = ErrorOf(dir / "no_such_dir");
  CHECK_MESSAGE(err.find(dir / "no_such_dir") != std::string::npos, err);
  err = ErrorOf("kaldi:" + (dir / "no_such_kaldi_dir"));
  CHECK_MESSAGE(err.find(dir / "no_such_kaldi_dir") != std::string::npos, err);
}

TEST_CASE("data spec kaldi: wav.scp, text, utt2spk - utterances without text are problems") {
  TempDir dir;
  fs::create_directories(dir.path() / "k");
  std::ofstream(dir / "k/wav.scp") << "u1 /data/a.wav\nu2 /data/b.wav\nu3 sox /data/c.flac -t wav - |\nu4 /data/d.wav\n";
  std::ofstream(dir / "k/text") << "u1 yes\nu3 no   thanks\nu4\nu9 orphan\n";
  std::ofstream(dir / "k/utt2spk") << "u1 spk1\nu3 spk2\nu4 spk2\n";
  const train::DataSet d = train::ReadDataSpec("kaldi:" + (dir / "k"));
  REQUIRE(d.examples.size() == 2);
  CHECK(Ids(d) == std::vector<std::string>{"u1", "u3"});
  CHECK(d.examples[0].source.path == "/data/a.wav");
  CHECK(d.examples[0].label == "yes");
  CHECK(d.examples[0].speaker == "spk1");
  CHECK(d.examples[1].source.IsPipe());
  CHECK(d.examples[1].source.command.find("sox /data/c.flac") != std::string::npos);
  CHECK(d.examples[1].label == "no thanks");
  CHECK(d.examples[1].speaker == "spk2");
  REQUIRE(d.problems.size() == 2);
  CHECK(d.problems[0].where == "u2");
  CHECK(d.problems[0].reason.find("no line in " + (dir / "k/text")) != std::string::npos);
  CHECK(d.problems[1].where == "u4");
  CHECK(d.problems[1].reason.find("empty transcript") != std::string::npos);

  // Without utt2spk the speaker is unknown.
  fs::remove(dir / "k/utt2spk");
  CHECK(train::ReadDataSpec("kaldi:" + (dir / "k")).examples[0].speaker.empty());
  // Without text the directory cannot be used at all.
  fs::remove(dir / "k/text");
  const std::string err = ErrorOf("kaldi:" + (dir / "k"));
  CHECK_MESSAGE(err.find(dir / "k/text") != std::string::npos, err);
}

TEST_CASE("data spec kaldi: segments give one example per segment - duplicate recordings are errors") {
  TempDir dir;
  fs::create_directories(dir.path() / "k");
  std::ofstream(dir / "k/wav.scp") << "rec1 /data/r1.wav\nrec2 /data/r2.wav\n";
  std::ofstream(dir / "k/segments") << "rec1-s1 rec1 0.00 0.50\nrec1-s2 rec1 0.50 -1\nrec2-s1 rec2 1.25 2.00\n";
  std::ofstream(dir / "k/text") << "rec1-s1 left\nrec1-s2 right\n";
  const train::DataSet d = train::ReadDataSpec("kaldi:" + (dir / "k"));
  REQUIRE(d.examples.size() == 2);
  CHECK(Ids(d) == std::vector<std::string>{"rec1-s1", "rec1-s2"});
  CHECK(d.examples[0].source.path == "/data/r1.wav");
  CHECK(d.examples[0].source.recording == "rec1");
  CHECK(d.examples[0].source.end == 0.5);
  CHECK(d.examples[1].source.start == 0.5);
  CHECK(d.examples[1].source.end == -1);
  CHECK(d.examples[1].label == "right");
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].where == "rec2-s1");

  std::ofstream(dir / "k/wav.scp") << "rec1 /data/r1.wav\nrec1 /data/other.wav\n";
  const std::string err = ErrorOf("kaldi:" + (dir / "k"));
  CHECK_MESSAGE(err.find("duplicate") != std::string::npos, err);
  CHECK_MESSAGE(err.find("rec1") != std::string::npos, err);
}

TEST_CASE("data spec kaldi: words.ctm gives word times - a mismatch with the text is a problem, none is untimed") {
  TempDir dir;
  fs::create_directories(dir.path() / "k");
  std::ofstream(dir / "k/wav.scp") << "u1 /data/a.wav\nu2 /data/b.wav\nu3 /data/c.wav\n";
  std::ofstream(dir / "k/text") << "u1 three one\nu2 two\nu3 five\n";
  // u1's lines out of order (sorted by start on reading), u2's word differs, u3 has none.
  std::ofstream(dir / "k/words.ctm") << "u1 1 0.90 0.35 one\nu1 1 0.25 0.50 three\nu2 1 0.1 0.4 four\n";
  const train::DataSet d = train::ReadDataSpec("kaldi:" + (dir / "k"));
  REQUIRE(d.examples.size() == 2);
  CHECK(d.examples[1].source.uttid == "u3");
  CHECK(d.examples[1].label == "five");
  CHECK(d.examples[1].words.empty());
  const auto& w = d.examples[0].words;
  REQUIRE(w.size() == 2);
  CHECK(w[0].word == "three");
  CHECK(w[0].start_s == doctest::Approx(0.25));
  CHECK(w[0].end_s == doctest::Approx(0.75));
  CHECK(w[1].word == "one");
  CHECK(w[1].start_s == doctest::Approx(0.90));
  CHECK(w[1].end_s == doctest::Approx(1.25));
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].where == "u2");
  CHECK(d.problems[0].reason.find("differ from the transcript") != std::string::npos);
  // A malformed line names the file and line.
  std::ofstream(dir / "k/words.ctm") << "u1 1 0.25 -0.5 three\n";
  const std::string err = ErrorOf("kaldi:" + (dir / "k"));
  CHECK_MESSAGE(err.find(dir / "k/words.ctm") != std::string::npos, err);
  CHECK_MESSAGE(err.find(":1:") != std::string::npos, err);
}
