// Feature options, batch and online feature extraction.
#include <pybind11/stl.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>

#include "auris/core/error.h"
#include "auris/core/thread_pool.h"
#include "auris/dsp/feature_extractor.h"
#include "auris/dsp/option_table.h"
#include "bindings.h"

namespace auris::python {
namespace {

using OptionMap = std::map<std::string, std::string>;  // Kaldi name -> text

// The batch chain is the online extractor (as dsp::ComputeFeatures), here
// with the caller's rate, which the extractor checks against the options.
// Fed in blocks scaled into a small buffer: no copy of the whole input (its
// allocation and page faults cost 10-20 % of the compute on a 10-s input).
Matrix Compute(const dsp::FeatureOptions& opts, double sample_rate, const SampleView& view) {
  constexpr std::int64_t kBlock = 8192;
  dsp::OnlineFeatureExtractor extractor(opts);
  std::vector<float> block(static_cast<std::size_t>(std::min(kBlock, view.size)));
  for (std::int64_t start = 0; start < view.size; start += kBlock) {
    const std::int64_t n = std::min(kBlock, view.size - start);
    ToKaldiScale(view, start, n, block.data());
    extractor.AcceptWaveform(static_cast<float>(sample_rate), block.data(), n);
  }
  extractor.InputFinished();
  return extractor.PopAll();
}

py::array_t<float> ComputeOne(const py::handle& samples, double sample_rate, const OptionMap& options) {
  const dsp::FeatureOptions opts = dsp::FromMap(options);
  const SampleView view = ViewSamples(samples);
  Matrix out;
  {
    py::gil_scoped_release release;
    out = Compute(opts, sample_rate, view);
  }
  return ToArray(std::move(out));
}

py::list ComputeMany(const py::sequence& inputs, double sample_rate, const OptionMap& options, int num_threads) {
  const dsp::FeatureOptions opts = dsp::FromMap(options);
  std::vector<SampleView> views;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string what = "samples[" + std::to_string(i) + "]";
    const py::object item = inputs[i];
    views.push_back(ViewSamples(item, what.c_str()));
  }
  std::vector<Matrix> outs(views.size());
  {
    py::gil_scoped_release release;
    ThreadPool pool(num_threads);
    pool.ParallelFor(views.size(), [&](std::size_t i, int) {
      try {
        outs[i] = Compute(opts, sample_rate, views[i]);
      } catch (const std::exception& e) {
        throw WithContext("samples[" + std::to_string(i) + "]", e);
      }
    });
  }
  py::list result;
  for (Matrix& m : outs) result.append(ToArray(std::move(m)));
  return result;
}

// dsp::OnlineFeatureExtractor behind a mutex: the GIL is released while it
// works, so two Python threads could otherwise call into one object at once.
class OnlineFeatures {
 public:
  explicit OnlineFeatures(const OptionMap& options) : extractor_(dsp::FromMap(options)) {}

  void AcceptWaveform(double sample_rate, const py::handle& samples) {
    const SampleView view = ViewSamples(samples, "samples", /*allow_empty=*/true);
    py::gil_scoped_release release;
    const std::vector<float> scaled = ToKaldiScale(view);
    std::lock_guard<std::mutex> lock(mu_);
    extractor_.AcceptWaveform(static_cast<float>(sample_rate), scaled.data(),
                              static_cast<std::int64_t>(scaled.size()));
  }
  void InputFinished() {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mu_);
    extractor_.InputFinished();
  }
  std::int64_t NumFramesReady() {
    std::lock_guard<std::mutex> lock(mu_);
    return extractor_.NumFramesReady();
  }
  bool IsInputFinished() {
    std::lock_guard<std::mutex> lock(mu_);
    return extractor_.IsInputFinished();
  }
  int Dim() {
    std::lock_guard<std::mutex> lock(mu_);
    return extractor_.Dim();
  }
  py::array_t<float> GetFrames(std::int64_t start, std::int64_t count) {
    Matrix out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const std::int64_t ready = extractor_.NumFramesReady();
      if (count < 0) count = ready - start;  // to the last ready frame
      if (start < 0 || count < 0 || start + count > ready)
        throw MakeError("get_frames(", start, ", ", count, "): only frames [0, ", ready, ") are ready");
      out = extractor_.GetFrames(start, count);
    }
    return ToArray(std::move(out));
  }

 private:
  std::mutex mu_;
  dsp::OnlineFeatureExtractor extractor_;
};

}  // namespace

void BindFeatures(py::module_& m) {
  m.def(
      "resolve_feature_options",
      [](const OptionMap& values) { return dsp::ToJson(dsp::FromMap(values)); }, py::arg("values"),
      "Defaults, then the given Kaldi-named options (text); validated. Returns the options of "
      "that type as a JSON object with typed values.");
  m.def("compute_features", &ComputeOne, py::arg("samples"), py::arg("sample_rate"), py::arg("options"));
  m.def("compute_features_many", &ComputeMany, py::arg("inputs"), py::arg("sample_rate"), py::arg("options"),
        py::arg("num_threads"));
  py::class_<OnlineFeatures>(m, "OnlineFeatures")
      .def(py::init<const OptionMap&>(), py::arg("options"))
      .def("accept_waveform", &OnlineFeatures::AcceptWaveform, py::arg("sample_rate"), py::arg("samples"))
      .def("input_finished", &OnlineFeatures::InputFinished)
      .def_property_readonly("num_frames_ready", &OnlineFeatures::NumFramesReady)
      .def_property_readonly("is_input_finished", &OnlineFeatures::IsInputFinished)
      .def_property_readonly("dim", &OnlineFeatures::Dim)
      .def("get_frames", &OnlineFeatures::GetFrames, py::arg("start") = 0, py::arg("count") = -1);
}

}  // namespace auris::python
