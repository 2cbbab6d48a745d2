#include "decode_flags.h"

#include <memory>

#include "auris/core/error.h"
#include "auris/decode/ctc_prefix_beam.h"
#include "auris/decode/ngram_lm.h"
#include "auris/pipeline/transcriber.h"

namespace auris::cli {

void AddDecodeFlags(CLI::App& cmd, DecodeFlags& f, const std::string& group) {
  CLI::Option* opts[] = {
      cmd.add_option_function<int>(
          "--beam", [&f](int v) { f.beam = v; },
          "CTC prefix beam width (0: greedy best path; default: the model's, else 0)"),
      cmd.add_option("--lm", f.lm,
                     "Word language model (ARPA) for shallow fusion in the beam search, instead of the model's")
          ->type_name("FILE.arpa"),
      cmd.add_option_function<float>(
          "--lm-weight", [&f](float v) { f.lm_weight = v; },
          "Weight of the LM's log-probability (default: the model's, else 0.5)"),
      cmd.add_option_function<float>(
          "--word-bonus", [&f](float v) { f.word_bonus = v; },
          "Score added per word with an LM, nats (default: the model's, else 0)"),
      cmd.add_flag("--no-lm", f.no_lm, "Decode without the model's language model"),
  };
  if (!group.empty())
    for (CLI::Option* o : opts) o->group(group);
}

pipeline::TranscribeOptions ResolveDecoding(const DecodeFlags& f, const pipeline::Recognizer& rec) {
  pipeline::TranscribeOptions o = rec.Decoding();
  if (f.no_lm && !f.lm.empty()) throw MakeError("--lm and --no-lm exclude each other");
  if (f.beam) o.beam = *f.beam;
  if (f.no_lm) {
    o.lm.reset();
  } else if (!f.lm.empty()) {
    if (!o.lm) o.lm_weight = kDefaultLmWeight;
    o.lm = pipeline::LabelLmFor(rec, std::make_shared<const decode::NgramLm>(decode::NgramLm::ReadArpa(f.lm)), f.lm);
    if (o.beam == 0 && !f.beam) o.beam = decode::CtcBeamOptions{}.beam;
  }
  if (f.lm_weight) o.lm_weight = *f.lm_weight;
  if (f.word_bonus) o.word_bonus = *f.word_bonus;
  if (!o.lm) o.lm_weight = o.word_bonus = 0;
  o.Validate();
  return o;
}

}  // namespace auris::cli
