#include "auris/train/digit_strings.h"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>

#include "auris/audio/write.h"
#include "auris/core/atomic_file.h"
#include "auris/core/error.h"
#include "auris/core/rng.h"
#include "auris/train/batching.h"
#include "auris/train/noise.h"

namespace auris::train {

void DigitStringOptions::Validate() const {
  if (num_utterances < 1) throw MakeError("--num-utts must be >= 1 (got ", num_utterances, ")");
  if (min_words < 1 || max_words < min_words)
    throw MakeError("--min-words / --max-words must satisfy 1 <= min <= max (got ", min_words, ", ", max_words, ")");
  if (!(max_gap_ms >= 0) || !(max_edge_ms >= 0)) throw MakeError("gaps must be >= 0 ms");
  if (!(zero_gap_prob >= 0 && zero_gap_prob <= 1)) throw MakeError("--zero-gap-prob must be in [0, 1]");
  if (!(noise_prob >= 0 && noise_prob <= 1)) throw MakeError("--noise-prob must be in [0, 1]");
  if (!(snr_db_min <= snr_db_max)) throw MakeError("--snr-db: min > max");
}

std::string DigitString::Transcript() const {
  std::string t;
  for (const WordSpan& w : words) t += (t.empty() ? "" : " ") + w.word;
  return t;
}

std::vector<DigitString> MakeDigitStrings(const AudioSet& singles, const DigitStringOptions& o) {
  o.Validate();
  std::map<std::string, std::vector<std::size_t>> by_speaker;
  for (std::size_t i = 0; i < singles.size(); ++i) {
    const Example& e = singles.examples[i];
    if (e.speaker.empty())
      throw MakeError(e.source.uttid, ": no speaker (use a kaldi: data spec with utt2spk)");
    if (e.label.find(' ') != std::string::npos)
      throw MakeError(e.source.uttid, ": label '", e.label, "' is not a single word");
    by_speaker[e.speaker].push_back(i);
  }
  if (by_speaker.empty()) throw MakeError("no single-word recordings to build strings from");
  const double rate = singles.sample_rate_hz;
  std::vector<const std::pair<const std::string, std::vector<std::size_t>>*> speakers;
  for (const auto& kv : by_speaker) speakers.push_back(&kv);

  std::vector<DigitString> out;
  for (int u = 0; u < o.num_utterances; ++u) {
    Rng rng(MixSeed(o.seed, 0xd161, static_cast<std::uint64_t>(u)));
    const auto& [speaker, pool] = *speakers[static_cast<std::size_t>(u) % speakers.size()];
    DigitString s;
    s.speaker = speaker;
    std::ostringstream id;
    id << speaker << "-" << std::setfill('0') << std::setw(5) << u;
    s.id = id.str();
    const int n = o.min_words + static_cast<int>(rng.Index(static_cast<std::uint32_t>(o.max_words - o.min_words + 1)));
    auto silence = [&](double max_ms) {
      return static_cast<std::size_t>(std::floor(rng.Uniform() * max_ms * rate / 1000.0));
    };
    s.audio.assign(silence(o.max_edge_ms), 0.0f);
    for (int w = 0; w < n; ++w) {
      if (w > 0) {
        const bool abut = rng.Uniform() < o.zero_gap_prob;
        const std::size_t gap = silence(o.max_gap_ms);
        if (!abut) s.audio.resize(s.audio.size() + gap, 0.0f);
      }
      const std::size_t pick = pool[rng.Index(static_cast<std::uint32_t>(pool.size()))];
      const std::vector<float>& a = singles.audio[pick];
      s.words.push_back({singles.examples[pick].label, s.audio.size() / rate, (s.audio.size() + a.size()) / rate});
      s.audio.insert(s.audio.end(), a.begin(), a.end());
    }
    s.audio.resize(s.audio.size() + silence(o.max_edge_ms), 0.0f);
    const bool noisy = rng.Uniform() < o.noise_prob;
    const double snr_db = rng.Uniform(o.snr_db_min, o.snr_db_max);
    const auto colour = static_cast<NoiseColour>(rng.Index(kNumNoiseColours));
    const std::uint64_t noise_seed = rng.NextU32();
    if (noisy) {
      const std::vector<float> noise = ColouredNoise(colour, s.audio.size(), noise_seed);
      const double speech = ActivePower(s.audio, rate);
      double np = 0;
      for (float v : noise) np += static_cast<double>(v) * v;
      np /= static_cast<double>(noise.size());
      if (speech > 0 && np > 0) {
        const double g = std::sqrt(speech / (np * std::pow(10.0, snr_db / 10)));
        for (std::size_t i = 0; i < s.audio.size(); ++i) s.audio[i] += static_cast<float>(g * noise[i]);
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

void WriteDigitStrings(const std::string& dir, const std::vector<DigitString>& strings, double rate) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "wav", ec);
  if (ec) throw MakeError(dir, ": cannot create directory: ", ec.message());
  std::ostringstream scp, text, utt2spk, ctm;
  std::map<std::string, std::string> spk2utt;
  for (const DigitString& s : strings) {
    const std::string wav = (fs::absolute(dir) / "wav" / (s.id + ".wav")).lexically_normal().string();
    audio::WriteWav(wav, s.audio, static_cast<int>(rate));
    scp << s.id << " " << wav << "\n";
    text << s.id << " " << s.Transcript() << "\n";
    utt2spk << s.id << " " << s.speaker << "\n";
    spk2utt[s.speaker] += " " + s.id;
    ctm.setf(std::ios::fixed);
    ctm.precision(4);
    for (const WordSpan& w : s.words) ctm << s.id << " 1 " << w.start_s << " " << w.end_s - w.start_s << " " << w.word << "\n";
  }
  std::ostringstream s2u;
  for (const auto& [spk, utts] : spk2utt) s2u << spk << utts << "\n";
  const std::pair<const char*, std::string> files[] = {
      {"wav.scp", scp.str()}, {"text", text.str()}, {"utt2spk", utt2spk.str()}, {"spk2utt", s2u.str()}, {"words.ctm", ctm.str()}};
  for (const auto& [name, content] : files) {
    AtomicFile f((fs::path(dir) / name).string());
    f.Write(content);
    f.Commit();
  }
}

}  // namespace auris::train
