// Models: classification, transcription and streams (CTC sessions, keyword
// spotting) over pipeline::Recognizer, shared by the streams it creates.
#include <pybind11/stl.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "auris/audio/resample.h"
#include "auris/core/error.h"
#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/keyword_spotter.h"
#include "auris/pipeline/live_events.h"
#include "auris/pipeline/recognizer.h"
#include "auris/pipeline/transcriber.h"
#include "bindings.h"

namespace auris::python {
namespace {

using pipeline::Recognizer;
using RecognizerPtr = std::shared_ptr<Recognizer>;  // pybind11 holders need non-const

// The samples at the model's rate and Kaldi scale, resampled (soxr) as the
// CLI resamples files at other rates.
std::vector<float> ModelSamples(const Recognizer& rec, double sample_rate, const SampleView& view) {
  std::vector<float> x = ToKaldiScale(view);
  if (sample_rate == rec.SampleRate()) return x;
  return audio::Resample(x, sample_rate, rec.SampleRate(), rec.Features().audio.quality);
}

RecognizerPtr Load(const std::string& path) {
  py::gil_scoped_release release;
  return std::make_shared<Recognizer>(Recognizer::Load(path));
}

// (label, probability) pairs, most probable first.
std::vector<std::pair<std::string, float>> Classify(const RecognizerPtr& rec, const py::handle& samples,
                                                    double sample_rate, int top_k) {
  const SampleView view = ViewSamples(samples);
  py::gil_scoped_release release;
  if (!rec->CanClassify()) throw MakeError("a CTC model with character units cannot classify words; use transcribe");
  const pipeline::Classification c = rec->ClassifySamples(ModelSamples(*rec, sample_rate, view)).result;
  std::vector<std::pair<std::string, float>> ranked;
  for (std::size_t i = 0; i < c.probs.size(); ++i) ranked.emplace_back(rec->ClassLabels()[i], c.probs[i]);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  ranked.resize(std::clamp<std::size_t>(static_cast<std::size_t>(std::max(top_k, 1)), 1, ranked.size()));
  return ranked;
}

// (text, [(word, start, end, conf)]).
py::tuple Transcribe(const RecognizerPtr& rec, const py::handle& samples, double sample_rate, int beam) {
  const SampleView view = ViewSamples(samples);
  pipeline::Transcript t;
  {
    py::gil_scoped_release release;
    if (rec->Task() != pipeline::ModelTask::kCtc) throw MakeError("a classifier; use classify");
    pipeline::TranscribeOptions options{.beam = beam};
    options.Validate();
    const std::vector<float> x = ModelSamples(*rec, sample_rate, view);
    t = pipeline::Transcribe(*rec, rec->ComputeFeatures(x), static_cast<double>(x.size()) / rec->SampleRate(),
                             options);
  }
  py::list words;
  for (const pipeline::TimedWord& w : t.words) words.append(py::make_tuple(w.word, w.start_s, w.end_s, w.conf));
  return py::make_tuple(t.text, words);
}

// A CTC session (partial and final transcripts) or a keyword spotter, whose
// events wait as JSON lines until the caller takes them.
class Stream {
 public:
  Stream(RecognizerPtr rec, const pipeline::TranscribeOptions& decode, const pipeline::EndpointOptions& endpoint,
         const pipeline::KeywordSpotterOptions& keywords)
      : rec_(std::move(rec)), decode_(decode), endpoint_(endpoint), keywords_(keywords) {
    decode_.Validate();
    endpoint_.Validate();
    Reset();
  }

  void AcceptWaveform(double sample_rate, const py::handle& samples) {
    const SampleView view = ViewSamples(samples);
    py::gil_scoped_release release;
    std::vector<float> x = ToKaldiScale(view);
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) throw MakeError("accept_waveform after input_finished (call reset() first)");
    if (sample_rate != rec_->SampleRate() || resampler_) {  // streamed through soxr, as auris live does
      if (!resampler_)
        resampler_ = std::make_unique<audio::Resampler>(sample_rate, rec_->SampleRate(), rec_->Features().audio.quality);
      if (resampler_->InRate() != sample_rate)
        throw MakeError("sample_rate ", sample_rate, " Hz: this stream was fed ", resampler_->InRate(), " Hz audio");
      std::vector<float> out;
      resampler_->Process(x.data(), x.size(), &out);
      x = std::move(out);
    }
    Feed(x);
  }

  void InputFinished() {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    finished_ = true;
    if (resampler_) {
      std::vector<float> rest;
      resampler_->Flush(&rest);
      Feed(rest);
    }
    if (ctc_) Queue(ctc_->Finish());
    else Queue(kws_->Finish());
  }

  std::vector<std::string> TakeEvents() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(pending_, {});
  }

  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    ctc_.reset();
    kws_.reset();
    resampler_.reset();
    if (rec_->Task() == pipeline::ModelTask::kCtc) ctc_ = std::make_unique<pipeline::CtcSession>(*rec_, decode_, endpoint_);
    else kws_ = std::make_unique<pipeline::KeywordSpotter>(*rec_, keywords_);
    pending_.clear();
    finished_ = false;
  }

  double SecondsSeen() {
    std::lock_guard<std::mutex> lock(mu_);
    return ctc_ ? ctc_->SecondsSeen() : kws_->SecondsSeen();
  }

 private:
  void Feed(const std::vector<float>& x) {
    const auto n = static_cast<std::int64_t>(x.size());
    if (ctc_) Queue(ctc_->Accept(x.data(), n));
    else Queue(kws_->Accept(x.data(), n));
  }

  template <typename Event>
  void Queue(const std::vector<Event>& events) {
    for (const Event& e : events) pending_.push_back(pipeline::ToJson(e));
  }

  RecognizerPtr rec_;
  pipeline::TranscribeOptions decode_;
  pipeline::EndpointOptions endpoint_;
  pipeline::KeywordSpotterOptions keywords_;
  std::mutex mu_;
  std::unique_ptr<pipeline::CtcSession> ctc_;
  std::unique_ptr<pipeline::KeywordSpotter> kws_;
  std::unique_ptr<audio::Resampler> resampler_;  // input at another rate than the model's
  std::vector<std::string> pending_;
  bool finished_ = false;
};

}  // namespace

void BindRecognizer(py::module_& m) {
  py::class_<Recognizer, RecognizerPtr>(m, "Recognizer")
      .def(py::init(&Load), py::arg("path"))
      .def_property_readonly("labels", &Recognizer::Labels)
      .def_property_readonly("class_labels", &Recognizer::ClassLabels)
      .def_property_readonly("sample_rate", &Recognizer::SampleRate)
      .def_property_readonly("task",
                             [](const Recognizer& r) { return r.Task() == pipeline::ModelTask::kCtc ? "ctc" : "classify"; })
      .def("classify", &Classify, py::arg("samples"), py::arg("sample_rate"), py::arg("top_k"))
      .def("transcribe", &Transcribe, py::arg("samples"), py::arg("sample_rate"), py::arg("beam"));

  py::class_<pipeline::KeywordSpotterOptions>(m, "KeywordSpotterOptions")
      .def(py::init<>())
      .def_readwrite("window_ms", &pipeline::KeywordSpotterOptions::window_ms)
      .def_readwrite("hop_ms", &pipeline::KeywordSpotterOptions::hop_ms)
      .def_readwrite("min_age_ms", &pipeline::KeywordSpotterOptions::min_age_ms)
      .def_property(
          "threshold", [](const pipeline::KeywordSpotterOptions& o) { return o.decision.threshold; },
          [](pipeline::KeywordSpotterOptions& o, double t) { o.decision.threshold = t; })
      .def_property(
          "label_thresholds", [](const pipeline::KeywordSpotterOptions& o) { return o.decision.label_thresholds; },
          [](pipeline::KeywordSpotterOptions& o, const std::map<std::string, double>& t) {
            o.decision.label_thresholds = t;
          })
      .def_property(
          "smooth_ms", [](const pipeline::KeywordSpotterOptions& o) { return o.decision.smooth_ms; },
          [](pipeline::KeywordSpotterOptions& o, double v) { o.decision.smooth_ms = v; })
      .def_property(
          "refractory_ms", [](const pipeline::KeywordSpotterOptions& o) { return o.decision.refractory_ms; },
          [](pipeline::KeywordSpotterOptions& o, double v) { o.decision.refractory_ms = v; })
      .def_property(
          "peak_wait_ms", [](const pipeline::KeywordSpotterOptions& o) { return o.decision.peak_wait_ms; },
          [](pipeline::KeywordSpotterOptions& o, double v) { o.decision.peak_wait_ms = v; });

  py::class_<Stream>(m, "Stream")
      .def(py::init([](RecognizerPtr rec, int beam, double endpoint_ms, double max_utterance_s,
                       const pipeline::KeywordSpotterOptions& keywords) {
             pipeline::EndpointOptions endpoint;
             endpoint.trailing_silence_ms = endpoint_ms;
             endpoint.max_utterance_s = max_utterance_s;
             return std::make_unique<Stream>(std::move(rec), pipeline::TranscribeOptions{.beam = beam}, endpoint,
                                             keywords);
           }),
           py::arg("recognizer"), py::arg("beam"), py::arg("endpoint_ms"), py::arg("max_utterance_s"),
           py::arg("keywords"))
      .def("accept_waveform", &Stream::AcceptWaveform, py::arg("sample_rate"), py::arg("samples"))
      .def("input_finished", &Stream::InputFinished)
      .def("take_events", &Stream::TakeEvents)
      .def("reset", &Stream::Reset)
      .def_property_readonly("seconds_seen", &Stream::SecondsSeen);
}

}  // namespace auris::python
