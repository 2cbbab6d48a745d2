// Models: loading, decoding settings, classification and transcription over
// pipeline::Recognizer (streams: stream.cc).
#include <pybind11/stl.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auris/audio/resample.h"
#include "auris/core/error.h"
#include "auris/pipeline/decoding_overrides.h"
#include "auris/pipeline/transcriber.h"
#include "bindings.h"

namespace auris::python {
namespace {

using pipeline::Recognizer;

// The samples at the model's rate and Kaldi scale, resampled (soxr) as the
// CLI resamples files at other rates.
std::vector<float> ModelSamples(const Recognizer& rec, double sample_rate, const SampleView& view) {
  std::vector<float> x = ToKaldiScale(view);
  if (sample_rate == rec.SampleRate()) return x;
  if (!(sample_rate > 0)) throw MakeError("sample_rate ", sample_rate, ": must be positive");
  return audio::Resample(x, sample_rate, rec.SampleRate(), rec.Features().audio.quality);
}

RecognizerPtr Load(const std::string& path) {
  py::gil_scoped_release release;
  return std::make_shared<Recognizer>(Recognizer::Load(path));
}

// The model's decoding with the CLI's overrides (--beam, --lm, --no-lm,
// --lm-weight, --word-bonus); reads the ARPA file of `lm`, GIL released.
pipeline::TranscribeOptions Decoding(const RecognizerPtr& rec, std::optional<int> beam, const std::string& lm,
                                     bool no_lm, std::optional<float> lm_weight, std::optional<float> word_bonus) {
  py::gil_scoped_release release;
  return pipeline::ResolveDecoding(*rec, {.beam = beam, .lm = lm, .lm_weight = lm_weight, .word_bonus = word_bonus,
                                          .no_lm = no_lm});
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
py::tuple Transcribe(const RecognizerPtr& rec, const py::handle& samples, double sample_rate,
                     const pipeline::TranscribeOptions& decoding) {
  const SampleView view = ViewSamples(samples);
  pipeline::Transcript t;
  {
    py::gil_scoped_release release;
    if (rec->Task() != pipeline::ModelTask::kCtc) throw MakeError("a classifier; use classify");
    const std::vector<float> x = ModelSamples(*rec, sample_rate, view);
    t = pipeline::Transcribe(*rec, rec->ComputeFeatures(x), static_cast<double>(x.size()) / rec->SampleRate(),
                             decoding);
  }
  py::list words;
  for (const pipeline::TimedWord& w : t.words) words.append(py::make_tuple(w.word, w.start_s, w.end_s, w.conf));
  return py::make_tuple(t.text, words);
}

}  // namespace

void BindRecognizer(py::module_& m) {
  using pipeline::TranscribeOptions;
  py::class_<TranscribeOptions>(m, "Decoding",
                                "How a CTC model's outputs become words (Recognizer.decoding()): beam (0: greedy "
                                "best path), has_lm (shallow fusion with a word LM), lm_weight, word_bonus.")
      .def(py::init<>())  // greedy, no LM
      .def_readonly("beam", &TranscribeOptions::beam)
      .def_readonly("lm_weight", &TranscribeOptions::lm_weight)
      .def_readonly("word_bonus", &TranscribeOptions::word_bonus)
      .def_property_readonly("has_lm", [](const TranscribeOptions& o) { return o.lm != nullptr; })
      .def("__repr__", &TranscribeOptions::ToString);

  py::class_<Recognizer, RecognizerPtr>(m, "Recognizer")
      .def(py::init(&Load), py::arg("path"))
      .def_property_readonly("labels", &Recognizer::Labels)
      .def_property_readonly("class_labels", &Recognizer::ClassLabels)
      .def_property_readonly("sample_rate", &Recognizer::SampleRate)
      .def_property_readonly("task",
                             [](const Recognizer& r) { return r.Task() == pipeline::ModelTask::kCtc ? "ctc" : "classify"; })
      .def("decoding", &Decoding, py::arg("beam"), py::arg("lm"), py::arg("no_lm"), py::arg("lm_weight"),
           py::arg("word_bonus"))
      .def("classify", &Classify, py::arg("samples"), py::arg("sample_rate"), py::arg("top_k"))
      .def("transcribe", &Transcribe, py::arg("samples"), py::arg("sample_rate"), py::arg("decoding"));
}

}  // namespace auris::python
