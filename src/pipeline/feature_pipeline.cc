#include "auris/pipeline/feature_pipeline.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "auris/core/check.h"
#include "auris/core/error.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/feature_window.h"
#include "auris/io/pipe.h"

namespace auris::pipeline {
namespace {

// FNV-1a: a stable per-utterance dither seed, independent of thread order.
std::uint64_t HashUttid(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

constexpr std::size_t kReadFrames = 1 << 16;  // source frames per read (bounded memory)

}  // namespace

int FeaturePipelineOptions::OutputDim() const {
  const int d = features.Dim();
  return add_deltas ? d * (deltas.order + 1) : d;
}

void FeaturePipelineOptions::Validate() const {
  features.Validate();
  audio.Validate();
  if (add_deltas) deltas.Validate();
  if (cmvn == CmvnMode::kSliding) sliding.Validate();
  if (cmvn == CmvnMode::kOnline) online.Validate();
  if (cmvn == CmvnMode::kUtterance || cmvn == CmvnMode::kGlobal) cmvn_options.Validate();
  if (!(tail_silence_ms >= 0)) throw MakeError("tail silence must be >= 0 ms, got ", tail_silence_ms);
  if (trim) {
    trim->Validate();
    if (!(trim_max_input_seconds > 0))
      throw MakeError("trim: the longest input must be > 0 s, got ", trim_max_input_seconds);
    if (tail_silence_ms > 0) throw Error("trim: cutting inputs to their speech is for classifiers, not CTC models");
  }
  if (cmvn == CmvnMode::kGlobal || cmvn == CmvnMode::kOnline) {
    if (global_stats.rows() != 2 || global_stats.cols() != features.Dim() + 1)
      throw MakeError("--cmvn: global statistics are ", global_stats.rows(), " x ",
                      global_stats.cols(), ", expected 2 x ", features.Dim() + 1,
                      " for ", features.Dim(), "-dimensional features");
  }
}

Matrix PostProcess(Matrix feats, const FeaturePipelineOptions& o) {
  switch (o.cmvn) {
    case CmvnMode::kNone: break;
    case CmvnMode::kUtterance: feats = dsp::ApplyUtteranceCmvn(feats, o.cmvn_options); break;
    case CmvnMode::kSliding: feats = dsp::ApplySlidingCmn(feats, o.sliding); break;
    case CmvnMode::kGlobal: dsp::ApplyCmvn(o.global_stats, o.cmvn_options, &feats); break;
    case CmvnMode::kOnline: feats = dsp::ApplyOnlineCmvn(feats, o.online, o.global_stats); break;
  }
  if (o.add_deltas) feats = dsp::AddDeltas(feats, o.deltas);
  return feats;
}

std::vector<float> TrimToSpeech(std::vector<float> samples, const FeaturePipelineOptions& o) {
  if (!o.trim) return samples;
  const dsp::SampleSpan span = dsp::FindSpeechSpan(samples.data(), static_cast<std::int64_t>(samples.size()),
                                                   o.features.Frame().sample_frequency_hz, *o.trim);
  // Speech shorter than one frame: the whole input rather than no features.
  if (dsp::NumFrames(span.end - span.begin, o.features.Frame()) == 0) return samples;
  samples.resize(static_cast<std::size_t>(span.end));
  samples.erase(samples.begin(), samples.begin() + span.begin);
  return samples;
}

std::vector<float> TailSilence(const FeaturePipelineOptions& o) {
  const double rate = o.features.Frame().sample_frequency_hz;
  return std::vector<float>(static_cast<std::size_t>(std::lround(o.tail_silence_ms / 1000 * rate)), 0.0f);
}

std::vector<float> WithTailSilence(std::vector<float> samples, const FeaturePipelineOptions& o) {
  const std::vector<float> tail = TailSilence(o);
  samples.insert(samples.end(), tail.begin(), tail.end());
  return samples;
}

UtteranceFeatures ExtractUtterance(const io::InputItem& src, const FeaturePipelineOptions& o) {
  return std::move(ExtractUtteranceVariants(src, o, {o.features})[0]);
}

std::vector<UtteranceFeatures> ExtractUtteranceVariants(const io::InputItem& src, const FeaturePipelineOptions& o,
                                                        const std::vector<dsp::FeatureOptions>& variants) {
  try {
    AURIS_CHECK(!variants.empty());
    audio::AudioLoadOptions aopts = o.audio;
    aopts.target_rate_hz = o.features.Frame().sample_frequency_hz;
    audio::AudioFileReader file =
        !src.IsPipe()
            ? audio::AudioFileReader::Open(src.path)
            : audio::AudioFileReader::OpenMemory(io::ReadPipeOutput(src.command, src.uttid), src.Source());
    audio::FeatureAudioReader reader(std::move(file), aopts, {src.start, src.end, src.channel});

    struct Variant {
      dsp::OnlineFeatureExtractor extractor;
      std::vector<float> frames;
      std::int64_t taken = 0;
    };
    std::vector<Variant> vs;
    for (dsp::FeatureOptions fopts : variants) {
      AURIS_CHECK(fopts.Frame().sample_frequency_hz == aopts.target_rate_hz);
      if (fopts.Frame().dither > 0) {
        const std::uint64_t seed = fopts.Frame().dither_seed ^ HashUttid(src.uttid);
        fopts.ForEachFrame([seed](dsp::FrameOptions& f) { f.dither_seed = seed; });
      }
      vs.push_back({dsp::OnlineFeatureExtractor(fopts), {}, 0});
    }
    auto drain = [](Variant& v) {
      const int dim = v.extractor.Dim();
      const std::int64_t ready = v.extractor.NumFramesReady();
      v.frames.resize(static_cast<std::size_t>(ready) * dim);
      for (; v.taken < ready; ++v.taken) v.extractor.GetFrame(v.taken, v.frames.data() + v.taken * dim);
      v.extractor.Pop(ready - v.extractor.NumFramesPopped());
    };
    auto feed = [&](const std::vector<float>& samples) {
      for (Variant& v : vs) {
        v.extractor.AcceptWaveform(aopts.target_rate_hz, samples.data(), static_cast<std::int64_t>(samples.size()));
        drain(v);
      }
    };
    std::vector<float> samples, whole;  // whole: the input, kept only to trim it
    std::int64_t num_samples = 0;
    const double max_whole = o.trim_max_input_seconds * aopts.target_rate_hz;
    for (bool more = true; more;) {
      samples.clear();
      more = reader.Read(kReadFrames, &samples);
      num_samples += static_cast<std::int64_t>(samples.size());
      if (!o.trim) {
        feed(samples);
        continue;
      }
      if (static_cast<double>(num_samples) > max_whole)
        throw MakeError(src.Source(), ": longer than ", o.trim_max_input_seconds,
                        " s, the most trimming to speech holds in memory");
      whole.insert(whole.end(), samples.begin(), samples.end());
    }
    std::int64_t heard = num_samples;  // what the features are computed from
    if (o.trim) {
      whole = TrimToSpeech(std::move(whole), o);
      heard = static_cast<std::int64_t>(whole.size());
      feed(whole);
    }
    const std::vector<float> tail = TailSilence(o);
    std::vector<UtteranceFeatures> out(vs.size());
    for (std::size_t i = 0; i < vs.size(); ++i) {
      Variant& v = vs[i];
      v.extractor.AcceptWaveform(aopts.target_rate_hz, tail.data(), static_cast<std::int64_t>(tail.size()));
      v.extractor.InputFinished();
      drain(v);
      if (dsp::NumFrames(heard, variants[i].Frame()) == 0)
        throw MakeError("audio too short: ", heard, " samples, one frame needs ",
                        variants[i].Frame().WindowSize(), " at ", aopts.target_rate_hz, " Hz");
      out[i].warning = reader.Warning();
      out[i].audio_seconds = num_samples / aopts.target_rate_hz;
      out[i].features = Eigen::Map<const Matrix>(v.frames.data(), v.taken, v.extractor.Dim());
      out[i].features = PostProcess(std::move(out[i].features), o);
    }
    return out;
  } catch (const std::exception& e) {
    const std::string what = e.what();
    if (what.starts_with(src.uttid + ": ")) throw Error(what);  // already names it
    throw MakeError(src.uttid, ": ", what);
  }
}

}  // namespace auris::pipeline
