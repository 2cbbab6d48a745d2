#include "auris/pipeline/decoding_overrides.h"

#include <memory>

#include "auris/core/error.h"
#include "auris/decode/ctc_prefix_beam.h"
#include "auris/decode/ngram_lm.h"
#include "auris/pipeline/transcriber.h"

namespace auris::pipeline {

TranscribeOptions ResolveDecoding(const Recognizer& rec, const DecodingOverrides& f) {
  TranscribeOptions o = rec.Decoding();
  if (f.no_lm && !f.lm.empty()) throw MakeError("--lm and --no-lm exclude each other");
  if (f.beam) o.beam = *f.beam;
  if (f.no_lm) {
    o.lm.reset();
  } else if (!f.lm.empty()) {
    if (!o.lm) o.lm_weight = kDefaultLmWeight;
    o.lm = LabelLmFor(rec, std::make_shared<const decode::NgramLm>(decode::NgramLm::ReadArpa(f.lm)), f.lm);
    if (o.beam == 0 && !f.beam) o.beam = decode::CtcBeamOptions{}.beam;
  }
  if (f.lm_weight) o.lm_weight = *f.lm_weight;
  if (f.word_bonus) o.word_bonus = *f.word_bonus;
  if (!o.lm) o.lm_weight = o.word_bonus = 0;
  o.Validate();
  return o;
}

}  // namespace auris::pipeline
