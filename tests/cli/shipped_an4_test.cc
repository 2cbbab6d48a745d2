// The shipped models on CMU AN4's test speakers, ten people no model heard
// in training or in any choice (recipes/an4/prepare.sh makes the data dirs,
// as the recipes do): regression floors at the figures the recipes measured
// (recipes/an4/README.md, recipes/fsdd-ctc/README.md).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_support.h"

using namespace auris;
using namespace auris::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// AN4's data dirs in `dir`/an4 (train, dev, test, test-digits, ...).
void PrepareAn4(const TempDir& dir) {
  const std::string cmd = SourceDir() + "/recipes/an4/prepare.sh --an4 " + An4Dir() + " " + (dir / "an4") +
                          " 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
}

json Eval(const std::string& model, const std::string& data, const TempDir& dir) {
  const auto ev = RunAuris("eval -q --num-threads 2 --json --model " + model + " --data kaldi:" + data, dir);
  REQUIRE_MESSAGE(ev.status == 0, ev.err);
  return json::parse(ev.out);
}

}  // namespace

// recipes/fsdd-ctc/run.sh measured 2.94% (4 errors in 136 words); the 10-ms
// model before had 7.35%, the model before AN4 joined its training 27.21%.
TEST_CASE("shipped CTC digit model: AN4's digit-only test utterances, 10 speakers never heard") {
  AURIS_SKIP_IF(An4Dir().empty(), "AN4 not found at ../shared/data/an4");
  TempDir dir;
  PrepareAn4(dir);
  const json j = Eval(SourceDir() + "/data/models/digits-ctc.safetensors", dir / "an4/test-digits", dir);
  MESSAGE("AN4 test digits: WER " << j["wer"].get<double>() * 100 << "%");
  CHECK(j["n_utts"] == 23);
  CHECK(j["n_words"] == 136);
  CHECK(j["wer"].get<double>() <= 0.045);  // at most 6 errors
}

// recipes/an4/run.sh measured 9.70% (75 errors in 773 words) with the
// model's LM (with lookahead), beam 16, weights chosen on dev; 13.32% (103
// errors) without it.
TEST_CASE("shipped AN4 model: AN4's test set with its LM and without") {
  AURIS_SKIP_IF(An4Dir().empty(), "AN4 not found at ../shared/data/an4");
  TempDir dir;
  PrepareAn4(dir);
  const std::string model = SourceDir() + "/data/models/an4.safetensors";
  const json lm = Eval(model, dir / "an4/test", dir);
  MESSAGE("AN4 test with LM: WER " << lm["wer"].get<double>() * 100 << "%");
  CHECK(lm["n_utts"] == 130);
  CHECK(lm["n_words"] == 773);
  CHECK(lm["wer"].get<double>() <= 0.1);  // at most 77 errors
  const auto ev = RunAuris("eval -q --num-threads 2 --json --no-lm --model " + model + " --data kaldi:" + (dir / "an4/test"), dir);
  REQUIRE_MESSAGE(ev.status == 0, ev.err);
  const double no_lm = json::parse(ev.out)["wer"].get<double>();
  MESSAGE("AN4 test without LM: WER " << no_lm * 100 << "%");
  CHECK(no_lm <= 0.14);
  CHECK(lm["wer"].get<double>() <= no_lm - 0.01);  // the LM corrects at least 8 more words
}
