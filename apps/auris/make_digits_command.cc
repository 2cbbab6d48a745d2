// auris make-digits: connected-digit utterances from single-digit recordings.
#include <cstdio>
#include <memory>
#include <string>

#include "auris/core/progress.h"
#include "auris/train/audio_set.h"
#include "auris/train/dataset.h"
#include "auris/train/digit_strings.h"
#include "commands.h"

namespace auris::cli {
namespace {

struct MakeDigitsArgs {
  std::string data, out;
  double rate = 8000;
  train::DigitStringOptions opt;
  int num_threads = 0;
};

int Run(const MakeDigitsArgs& a) {
  train::DataSet data = train::ReadDataSpec(a.data);
  const std::size_t listed = data.examples.size() + data.problems.size();
  train::AudioSet singles = train::LoadAudioSet(std::move(data), a.rate, 1, a.num_threads);
  for (const train::Problem& p : singles.problems)
    std::fprintf(stderr, "auris make-digits: skipped %s: %s\n", p.where.c_str(), p.reason.c_str());
  const std::vector<train::DigitString> strings = train::MakeDigitStrings(singles, a.opt);
  train::WriteDigitStrings(a.out, strings, a.rate);
  std::size_t words = 0;
  double seconds = 0;
  for (const auto& s : strings) words += s.words.size(), seconds += s.audio.size() / a.rate;
  std::fprintf(stderr, "%zu utterances (%zu words, %.1f min) from %zu of %zu recordings -> %s (kaldi:%s)\n",
               strings.size(), words, seconds / 60, singles.size(), listed, a.out.c_str(), a.out.c_str());
  return singles.problems.empty() ? 0 : 1;
}

void RegisterMakeDigits(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<MakeDigitsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "make-digits",
      "Build connected-digit utterances (TIDIGITS-style) from single-word recordings.\n"
      "  auris make-digits --data kaldi:DIR --out OUTDIR [options]\n"
      "Each utterance joins min..max recordings of ONE speaker (utt2spk of the data dir)\n"
      "with random gaps (some zero), edge silence and optional noise. Writes a Kaldi data\n"
      "dir usable as kaldi:OUTDIR (wav/, wav.scp, text, utt2spk, spk2utt) and words.ctm\n"
      "with the true word times.");
  cmd->add_option("-d,--data", a->data, "Single-word recordings with speakers (kaldi:DIR)")->required();
  cmd->add_option("-o,--out", a->out, "Output data directory")->required();
  cmd->add_option("--sample-frequency", a->rate, "Output sample rate (Hz)")->default_val(a->rate);
  cmd->add_option("--num-utts", a->opt.num_utterances, "Utterances to make")->default_val(a->opt.num_utterances);
  cmd->add_option("--min-words", a->opt.min_words, "Fewest words per utterance")->default_val(a->opt.min_words);
  cmd->add_option("--max-words", a->opt.max_words, "Most words per utterance")->default_val(a->opt.max_words);
  cmd->add_option("--max-gap-ms", a->opt.max_gap_ms, "Longest gap between words")->default_val(a->opt.max_gap_ms);
  cmd->add_option("--zero-gap-prob", a->opt.zero_gap_prob, "Probability that two words abut")
      ->default_val(a->opt.zero_gap_prob);
  cmd->add_option("--max-edge-ms", a->opt.max_edge_ms, "Longest leading / trailing silence")
      ->default_val(a->opt.max_edge_ms);
  cmd->add_option("--noise-prob", a->opt.noise_prob, "Probability of background noise")->default_val(a->opt.noise_prob);
  cmd->add_option_function<std::vector<double>>(
         "--snr-db", [a](const std::vector<double>& v) { a->opt.snr_db_min = v[0], a->opt.snr_db_max = v[1]; },
         "SNR range of the background noise (dB)")
      ->expected(2)->type_name("MIN MAX")->default_str("15 40");
  cmd->add_option("--seed", a->opt.seed, "Random seed")->default_val(a->opt.seed);
  cmd->add_option("--num-threads", a->num_threads, "Threads for reading audio (0: all cores)")->default_val(0);
  cmd->callback([a, &registry] { registry.Set([a] { return Run(*a); }); });
}

}  // namespace

AURIS_COMMAND(70, RegisterMakeDigits);

}  // namespace auris::cli
