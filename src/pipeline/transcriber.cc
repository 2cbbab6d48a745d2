#include "auris/pipeline/transcriber.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "auris/core/error.h"
#include "auris/decode/ctc_forced_align.h"
#include "auris/decode/ctc_greedy.h"
#include "auris/decode/ctc_prefix_beam.h"
#include "auris/decode/word_segmentation.h"
#include "auris/dsp/feature_window.h"

namespace auris::pipeline {

void TranscribeOptions::Validate() const {
  if (beam < 0) throw MakeError("--beam must be >= 0 (0: greedy), got ", beam);
  if (lm && beam == 0) throw MakeError("a language model needs beam search: --beam must be >= 1");
  if (!std::isfinite(lm_weight) || lm_weight < 0) throw MakeError("--lm-weight must be finite and >= 0, got ", lm_weight);
  if (!std::isfinite(word_bonus)) throw MakeError("--word-bonus must be finite, got ", word_bonus);
}

std::string TranscribeOptions::ToString() const {
  std::ostringstream os;
  os << "beam=" << beam;
  if (lm) os << " lm_weight=" << lm_weight << " word_bonus=" << word_bonus;
  return os.str();
}

std::shared_ptr<const decode::LabelLm> LabelLmFor(const Recognizer& rec, std::shared_ptr<const decode::NgramLm> lm,
                                                  const std::string& name) {
  if (rec.Task() != ModelTask::kCtc) throw MakeError(name, ": a language model needs a CTC model");
  try {
    return std::make_shared<const decode::LabelLm>(std::move(lm), rec.Labels(), rec.CharUnits());
  } catch (const Error& e) {
    throw MakeError(name, ": ", e.what());
  }
}

decode::CtcBeamOptions BeamOptions(const TranscribeOptions& options) {
  decode::CtcBeamOptions o;
  o.beam = options.beam;
  o.lm_weight = options.lm_weight;
  o.word_bonus = options.word_bonus;
  return o;
}

namespace {

// The decoded labels with, per label, the frames where it fires and its
// log-posterior there.
struct Tokens {
  std::vector<int> labels, first, last;
  std::vector<float> log_probs;
};

Tokens TokensOf(const decode::CtcBeamHypothesis& h) {
  return {.labels = h.labels, .first = h.frames, .last = h.frames, .log_probs = h.label_log_probs};
}

Tokens Decode(const Matrix& lp, const TranscribeOptions& options) {
  Tokens k;
  if (options.beam == 0) {
    const decode::CtcGreedyResult g = decode::CtcGreedyDecode(lp);
    k.labels = g.labels, k.first = g.first_frame, k.last = g.last_frame;
    for (std::size_t i = 0; i < g.labels.size(); ++i)
      k.log_probs.push_back(lp.col(g.labels[i]).segment(g.first_frame[i], g.last_frame[i] - g.first_frame[i] + 1).maxCoeff());
    return k;
  }
  const std::vector<decode::CtcBeamHypothesis> hyps = decode::CtcPrefixBeamDecode(lp, BeamOptions(options), options.lm);
  return hyps.empty() ? k : TokensOf(hyps.front());
}

}  // namespace

std::vector<WordTokens> GroupWords(const std::vector<int>& tokens, const std::vector<std::string>& labels,
                                   bool char_units) {
  std::vector<WordTokens> words;
  bool open = false;
  for (int i = 0; i < static_cast<int>(tokens.size()); ++i) {
    const std::string& u = labels[tokens[i]];
    if (!char_units) {
      words.push_back({u, i, i});
      continue;
    }
    if (u == "|") {
      open = false;
      continue;
    }
    if (!open) words.push_back({"", i, i}), open = true;
    words.back().word += u;
    words.back().last_token = i;
  }
  return words;
}

std::string JoinWords(const std::vector<WordTokens>& words) {
  std::string text;
  for (const WordTokens& w : words) text += (text.empty() ? "" : " ") + w.word;
  return text;
}

namespace {

// Word times and confidences of decoded (or aligned) tokens grouped into words.
Transcript TimeWords(const CtcFrames& frames, const Tokens& k, const std::vector<WordTokens>& groups,
                     const dsp::FrameOptions& fo, bool use_boundary_head = true) {
  const double half_shift = fo.WindowShift() / (2.0 * fo.sample_frequency_hz);
  auto start_of = [&](int frame) { return std::max(0.0, dsp::FrameCentreSeconds(frame, fo) - half_shift); };
  auto end_of = [&](int frame) { return dsp::FrameCentreSeconds(frame, fo) + half_shift; };

  const int n = static_cast<int>(groups.size());
  const int T = static_cast<int>(frames.log_probs.rows());
  std::vector<decode::FrameSpan> spans;
  if (use_boundary_head && frames.boundary_log_probs.rows() > 0 && n > 0 && 2 * n - 1 <= T)
    spans = decode::SegmentWords(frames.boundary_log_probs, n);
  Transcript t;
  for (int w = 0; w < n; ++w) {
    const WordTokens& g = groups[w];
    TimedWord tw;
    tw.word = g.word;
    double sum = 0;
    for (int i = g.first_token; i <= g.last_token; ++i) sum += k.log_probs[i];
    tw.conf = std::exp(sum / (g.last_token - g.first_token + 1));
    const int first = spans.empty() ? k.first[g.first_token] : spans[w].first;
    const int last = spans.empty() ? k.last[g.last_token] : spans[w].last;
    tw.start_s = start_of(first);
    tw.end_s = end_of(last);
    t.words.push_back(std::move(tw));
  }
  t.text = JoinWords(groups);
  return t;
}

void CheckColumns(const CtcFrames& frames, const std::vector<std::string>& labels, const char* what) {
  if (frames.log_probs.cols() != static_cast<Eigen::Index>(labels.size()))
    throw MakeError(what, ": ", frames.log_probs.cols(), " outputs per frame for ", labels.size(), " labels");
}

}  // namespace

Transcript DecodeTranscript(const CtcFrames& frames, const std::vector<std::string>& labels, bool char_units,
                            const dsp::FrameOptions& fo, const TranscribeOptions& options) {
  options.Validate();
  CheckColumns(frames, labels, "transcribe");
  const Tokens k = Decode(frames.log_probs, options);
  return TimeWords(frames, k, GroupWords(k.labels, labels, char_units), fo);
}

Transcript TranscriptOf(const decode::CtcBeamHypothesis& best, const CtcFrames& frames,
                        const std::vector<std::string>& labels, bool char_units, const dsp::FrameOptions& fo) {
  CheckColumns(frames, labels, "transcribe");
  return TimeWords(frames, TokensOf(best), GroupWords(best.labels, labels, char_units), fo);
}

std::vector<int> ReferenceTokens(const std::vector<std::string>& words, const std::vector<std::string>& labels,
                                 bool char_units) {
  auto index_of = [&](const std::string& unit) {
    for (std::size_t i = 1; i < labels.size(); ++i)  // labels[0] is the blank
      if (labels[i] == unit) return static_cast<int>(i);
    throw MakeError("align: \"", unit, "\" is not a label of the model");
  };
  std::vector<int> tokens;
  for (const std::string& w : words) {
    if (w.empty()) throw MakeError("align: an empty word");
    if (!char_units) {
      tokens.push_back(index_of(w));
      continue;
    }
    if (!tokens.empty()) tokens.push_back(index_of("|"));
    for (char c : w) tokens.push_back(index_of(std::string(1, c)));
  }
  return tokens;
}

Transcript AlignTranscript(const CtcFrames& frames, const std::vector<std::string>& labels, bool char_units,
                           const dsp::FrameOptions& fo, const std::vector<std::string>& words,
                           bool use_boundary_head) {
  CheckColumns(frames, labels, "align");
  Tokens k;
  k.labels = ReferenceTokens(words, labels, char_units);
  const decode::CtcAlignment a = decode::CtcForcedAlign(frames.log_probs, k.labels);
  k.first = a.first_frame, k.last = a.last_frame;
  for (std::size_t i = 0; i < k.labels.size(); ++i)
    k.log_probs.push_back(
        frames.log_probs.col(k.labels[i]).segment(k.first[i], k.last[i] - k.first[i] + 1).maxCoeff());
  return TimeWords(frames, k, GroupWords(k.labels, labels, char_units), fo, use_boundary_head);
}

void ClampToAudio(Transcript& t, double audio_s, const dsp::FrameOptions& framing) {
  const double frame_shift_s = framing.WindowShift() / framing.sample_frequency_hz;
  double limit = audio_s;
  for (auto w = t.words.rbegin(); w != t.words.rend(); ++w) {
    w->end_s = std::min(w->end_s, limit);
    w->start_s = std::max(0.0, std::min(w->start_s, w->end_s - frame_shift_s));
    limit = w->start_s;
  }
}

Transcript Transcribe(const Recognizer& rec, const Matrix& features, double audio_s, const TranscribeOptions& options) {
  const dsp::FrameOptions& framing = rec.OutputFraming();
  Transcript t = DecodeTranscript(rec.CtcOutputs(features), rec.Labels(), rec.CharUnits(), framing, options);
  ClampToAudio(t, audio_s, framing);
  return t;
}

Transcript Align(const Recognizer& rec, const Matrix& features, double audio_s, const std::vector<std::string>& words,
                 bool use_boundary_head) {
  const dsp::FrameOptions& framing = rec.OutputFraming();
  Transcript t =
      AlignTranscript(rec.CtcOutputs(features), rec.Labels(), rec.CharUnits(), framing, words, use_boundary_head);
  ClampToAudio(t, audio_s, framing);
  return t;
}

}  // namespace auris::pipeline
