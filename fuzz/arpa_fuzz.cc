// libFuzzer target for the ARPA language-model reader: any input must either
// parse or throw auris::Error, never crash, hang or trip a sanitizer. A file
// that parses must survive a write/parse round trip unchanged, and scoring
// every word from the start must give no NaN.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "auris/core/error.h"
#include "auris/decode/ngram_lm.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auris::decode::NgramLm lm = auris::decode::NgramLm::ParseArpa(text, "fuzz-input");
    const std::string arpa = lm.ToArpa();
    if (auris::decode::NgramLm::ParseArpa(arpa, "round-trip").ToArpa() != arpa) std::abort();
    auris::decode::NgramLm::State state = lm.Start();
    for (int w = -1; w < lm.NumWords(); ++w)
      if (std::isnan(lm.Score(state, w, &state)) || std::isnan(lm.EndScore(state))) std::abort();
  } catch (const auris::Error&) {
    return 0;  // rejected cleanly
  }
  return 0;
}
