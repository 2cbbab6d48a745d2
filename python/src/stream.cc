// Streams over a Recognizer: a CTC session (partial and final transcripts)
// or a keyword spotter, whose events wait as JSON lines (auris live --json's
// records, pipeline/live_json.h) until the caller takes them.
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auris/audio/resample.h"
#include "auris/core/error.h"
#include "auris/pipeline/ctc_session.h"
#include "auris/pipeline/keyword_spotter.h"
#include "auris/pipeline/live_json.h"
#include "auris/pipeline/transcript_keywords.h"
#include "bindings.h"

namespace auris::python {
namespace {

class Stream {
 public:
  Stream(RecognizerPtr rec, const pipeline::TranscribeOptions& decode, const pipeline::EndpointOptions& endpoint,
         const pipeline::KeywordSpotterOptions& keywords, std::optional<pipeline::TranscriptKeywordOptions> ctc_keywords)
      : rec_(std::move(rec)),
        decode_(decode),
        endpoint_(endpoint),
        keywords_(keywords),
        ctc_keywords_(std::move(ctc_keywords)) {
    decode_.Validate();
    endpoint_.Validate();
    Reset();
  }

  void AcceptWaveform(double sample_rate, const py::handle& samples) {
    const SampleView view = ViewSamples(samples, "samples", /*allow_empty=*/true);
    py::gil_scoped_release release;
    std::vector<float> x = ToKaldiScale(view);
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) throw MakeError("accept_waveform after input_finished (call reset() first)");
    if (x.empty()) return;
    if (sample_rate != rec_->SampleRate() || resampler_) {  // streamed through soxr, as auris live does
      if (!resampler_) {
        if (!(sample_rate > 0)) throw MakeError("sample_rate ", sample_rate, ": must be positive");
        resampler_ = std::make_unique<audio::Resampler>(sample_rate, rec_->SampleRate(), rec_->Features().audio.quality);
      }
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
    if (ctc_) QueueCtc(ctc_->Finish());
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
    ctc_kws_.reset();
    resampler_.reset();
    if (rec_->Task() == pipeline::ModelTask::kCtc) {
      ctc_ = std::make_unique<pipeline::CtcSession>(*rec_, decode_, endpoint_);
      if (ctc_keywords_) ctc_kws_.emplace(*rec_, *ctc_keywords_);
    } else {
      if (ctc_keywords_) throw MakeError("keywords= needs a CTC model (a classifier's keywords are its labels)");
      kws_ = std::make_unique<pipeline::KeywordSpotter>(*rec_, keywords_);
    }
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
    if (ctc_) QueueCtc(ctc_->Accept(x.data(), n));
    else Queue(kws_->Accept(x.data(), n));
  }

  // A CTC session's events, then (keywords=) the keywords they settled.
  void QueueCtc(const std::vector<pipeline::LiveEvent>& events) {
    Queue(events);
    if (ctc_kws_) Queue(ctc_kws_->After(events, *ctc_));
  }

  void Queue(const std::vector<pipeline::LiveEvent>& events) {
    for (const auto& e : events) pending_.push_back(pipeline::LiveEventJson(e));
  }
  void Queue(const std::vector<pipeline::KeywordEvent>& events) {
    for (const auto& e : events) pending_.push_back(pipeline::KeywordEventJson(e));
  }

  RecognizerPtr rec_;
  pipeline::TranscribeOptions decode_;
  pipeline::EndpointOptions endpoint_;
  pipeline::KeywordSpotterOptions keywords_;
  std::optional<pipeline::TranscriptKeywordOptions> ctc_keywords_;
  std::mutex mu_;
  std::unique_ptr<pipeline::CtcSession> ctc_;
  std::unique_ptr<pipeline::KeywordSpotter> kws_;
  std::optional<pipeline::TranscriptKeywords> ctc_kws_;
  std::unique_ptr<audio::Resampler> resampler_;  // input at another rate than the model's
  std::vector<std::string> pending_;
  bool finished_ = false;
};

}  // namespace

void BindStream(py::module_& m) {
  using pipeline::KeywordSpotterOptions;
  py::class_<KeywordSpotterOptions>(m, "KeywordSpotterOptions")
      .def(py::init<>())
      .def_readwrite("window_ms", &KeywordSpotterOptions::window_ms)
      .def_readwrite("hop_ms", &KeywordSpotterOptions::hop_ms)
      .def_readwrite("min_age_ms", &KeywordSpotterOptions::min_age_ms)
      .def_property(
          "threshold", [](const KeywordSpotterOptions& o) { return o.decision.threshold; },
          [](KeywordSpotterOptions& o, double t) { o.decision.threshold = t; })
      .def_property(
          "label_thresholds", [](const KeywordSpotterOptions& o) { return o.decision.label_thresholds; },
          [](KeywordSpotterOptions& o, const std::map<std::string, double>& t) { o.decision.label_thresholds = t; })
      .def_property(
          "smooth_ms", [](const KeywordSpotterOptions& o) { return o.decision.smooth_ms; },
          [](KeywordSpotterOptions& o, double v) { o.decision.smooth_ms = v; })
      .def_property(
          "refractory_ms", [](const KeywordSpotterOptions& o) { return o.decision.refractory_ms; },
          [](KeywordSpotterOptions& o, double v) { o.decision.refractory_ms = v; })
      .def_property(
          "peak_wait_ms", [](const KeywordSpotterOptions& o) { return o.decision.peak_wait_ms; },
          [](KeywordSpotterOptions& o, double v) { o.decision.peak_wait_ms = v; });

  py::class_<Stream>(m, "Stream")
      .def(py::init([](RecognizerPtr rec, const pipeline::TranscribeOptions& decoding,
                       std::optional<double> endpoint_ms, std::optional<double> max_utterance_s,
                       const KeywordSpotterOptions& keywords, std::optional<std::vector<std::string>> ctc_keywords,
                       double ctc_threshold) {
             pipeline::EndpointOptions endpoint;
             if (endpoint_ms) endpoint.trailing_silence_ms = *endpoint_ms;
             if (max_utterance_s) endpoint.max_utterance_s = *max_utterance_s;
             std::optional<pipeline::TranscriptKeywordOptions> ctc;
             if (ctc_keywords) ctc = pipeline::TranscriptKeywordOptions{*ctc_keywords, ctc_threshold};
             py::gil_scoped_release release;
             return std::make_unique<Stream>(std::move(rec), decoding, endpoint, keywords, std::move(ctc));
           }),
           py::arg("recognizer"), py::arg("decoding"), py::arg("endpoint_ms"), py::arg("max_utterance_s"),
           py::arg("keywords"), py::arg("ctc_keywords") = py::none(), py::arg("ctc_threshold") = 0.0)
      .def("accept_waveform", &Stream::AcceptWaveform, py::arg("sample_rate"), py::arg("samples"))
      .def("input_finished", &Stream::InputFinished)
      .def("take_events", &Stream::TakeEvents)
      .def("reset", &Stream::Reset)
      .def_property_readonly("seconds_seen", &Stream::SecondsSeen);
}

}  // namespace auris::python
