// `auris lm` and `auris attach-lm` end to end on the shipped digit model: an
// LM estimated from text, stored in a copy of the model, used by transcribe
// by default, equal to passing the same LM with flags, and dropped by --no-lm.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "cli_support.h"

using namespace auris;
using namespace auris::test;

namespace {

std::string Model() { return SourceDir() + "/data/models/digits-ctc.safetensors"; }
std::string Sample() { return SourceDir() + "/data/samples/digit_string.wav"; }

// The transcript column of `auris transcribe` on the bundled digit string.
std::string Text(const std::string& args, const TempDir& dir) {
  const auto r = RunAuris("transcribe " + args + " " + Sample(), dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  const std::size_t tab = r.out.find('\t');
  REQUIRE(tab != std::string::npos);
  return r.out.substr(tab + 1, r.out.find('\n') - tab - 1);
}

}  // namespace

TEST_CASE("auris lm + attach-lm: transcribe uses the stored LM by default, flags override, --no-lm drops it") {
  TempDir dir;
  // Kaldi text of one sentence: a strong LM pulls every utterance towards "nine".
  std::ofstream(dir / "text") << "utt1 nine\nutt2 nine nine\n";
  auto r = RunAuris("lm --text text --kaldi-text --order 2 --out lm.arpa", dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  std::ifstream arpa(dir / "lm.arpa");
  std::string first;
  std::getline(arpa, first);
  CHECK(first == "\\data\\");

  r = RunAuris("attach-lm --model " + Model() + " --lm lm.arpa --lm-weight 20 --word-bonus 0 --beam 8 --out lm.safetensors",
               dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(r.err.find("beam=8 lm_weight=20 word_bonus=0") != std::string::npos);

  const std::string plain = Text("--beam 8 --model " + Model(), dir);
  CHECK(plain == SampleText());
  const std::string with_lm = Text("--model lm.safetensors", dir);
  CHECK(with_lm != plain);
  CHECK(with_lm.find("nine") != std::string::npos);
  CHECK(Text("--model " + Model() + " --lm lm.arpa --lm-weight 20 --beam 8", dir) == with_lm);
  CHECK(Text("--model lm.safetensors --no-lm", dir) == plain);
  CHECK(Text("--model lm.safetensors --lm-weight 0", dir) == plain);

  r = RunAuris("transcribe --model lm.safetensors --no-lm --lm lm.arpa " + Sample(), dir);
  CHECK(r.status != 0);
  CHECK(r.err.find("--lm and --no-lm exclude each other") != std::string::npos);
  r = RunAuris("transcribe --model " + Model() + " --lm lm.arpa --beam 0 " + Sample(), dir);
  CHECK(r.status != 0);
  CHECK(r.err.find("a language model needs beam search") != std::string::npos);
}

TEST_CASE("auris lm reports a bad text, attach-lm a bad ARPA file with its line") {
  TempDir dir;
  std::ofstream(dir / "bad.arpa") << "\\data\\\nngram 1=2\n\n\\1-grams:\n-0.5 a\n\\end\\\n";
  auto r = RunAuris("attach-lm --model " + Model() + " --lm bad.arpa --out x.safetensors", dir);
  CHECK(r.status != 0);
  CHECK(r.err.find("bad.arpa:2: \\data\\ announces 2 1-grams, the file lists 1") != std::string::npos);
  std::ofstream(dir / "text") << "a </s> b\n";
  r = RunAuris("lm --text text --out lm.arpa", dir);
  CHECK(r.status != 0);
  CHECK(r.err.find("sentence 1 contains </s>") != std::string::npos);
}
