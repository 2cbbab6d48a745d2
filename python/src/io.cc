// Audio files and Kaldi feature archives.
#include <pybind11/stl.h>

#include <string>

#include "auris/audio/audio.h"
#include "auris/audio/audio_reader.h"
#include "auris/core/error.h"
#include "auris/io/feature_reader.h"
#include "auris/io/feature_writer.h"
#include "bindings.h"

namespace auris::python {
namespace {

// channel < 0: the average of all channels.
py::tuple ReadAudio(const std::string& path, int channel) {
  std::vector<float> mono;
  int rate = 0;
  {
    py::gil_scoped_release release;
    const audio::Audio a = audio::ReadAudio(path);
    rate = a.sample_rate;
    mono = channel < 0 ? audio::MixToMono(a) : audio::SelectChannel(a, channel, path);
    for (float& x : mono) x /= audio::kKaldiSampleScale;  // back to libsndfile's [-1, 1]
  }
  py::array_t<float> samples(static_cast<py::ssize_t>(mono.size()));
  std::copy(mono.begin(), mono.end(), samples.mutable_data());
  return py::make_tuple(samples, rate);
}

py::dict ReadArk(const std::string& rspecifier) {
  py::dict out;
  std::vector<std::pair<std::string, Matrix>> entries;
  {
    py::gil_scoped_release release;
    for (io::SequentialMatrixReader reader(rspecifier); !reader.Done(); reader.Next())
      entries.emplace_back(reader.Key(), reader.Value());
  }
  for (auto& [key, value] : entries) out[py::str(key)] = ToArray(std::move(value));
  return out;
}

void WriteArk(const std::string& wspecifier, const py::dict& matrices) {
  std::vector<std::pair<std::string, Matrix>> entries;
  for (const auto& [key, value] : matrices) {
    const std::string k = py::str(key);
    entries.emplace_back(k, ToMatrix(value, k.c_str()));
  }
  py::gil_scoped_release release;
  std::unique_ptr<io::FeatureWriter> writer = io::OpenFeatureWriter(wspecifier);
  for (const auto& [key, m] : entries) writer->Write(key, m);
  writer->Close();
}

}  // namespace

void BindIo(py::module_& m) {
  m.def("read_audio", &ReadAudio, py::arg("path"), py::arg("channel"));
  m.def("read_ark", &ReadArk, py::arg("rspecifier"));
  m.def("write_ark", &WriteArk, py::arg("wspecifier"), py::arg("matrices"));
}

}  // namespace auris::python
