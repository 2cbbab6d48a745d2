#include "decode_flags.h"

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

}  // namespace auris::cli
