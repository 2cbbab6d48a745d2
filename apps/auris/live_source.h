// Where `auris live` gets its audio: the microphone, a file played as a
// stream, or raw PCM on standard input. Every source delivers mono samples
// at the model's rate in Kaldi's int16 scale, chunk by chunk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace auris::cli {

struct LiveSourceOptions {
  std::string input;         // file played as a stream
  std::string device;        // microphone (empty: default input device)
  bool stdin_pcm = false;    // raw signed 16-bit little-endian PCM on stdin
  double stdin_rate = 0;     // its sample rate (required with stdin_pcm)
  int stdin_channels = 1;    // interleaved channels, averaged
  bool fast = false;         // file: do not pace to real time
  double chunk_ms = 100;     // file / stdin: audio per Read()
  double buffer_s = 2;       // microphone: audio held while decoding lags

  void Validate() const;  // throws auris::Error naming the option
};

class LiveSource {
 public:
  virtual ~LiveSource() = default;
  // Appends the next samples to *out; false once the input has ended (the
  // last samples, if any, were appended). May block: a file is paced to the
  // audio clock, the microphone and stdin wait for data.
  virtual bool Read(std::vector<float>* out) = 0;
  // Stops capturing (microphone); the source is not read again.
  virtual void Stop() {}
  // Input samples dropped because the reader fell behind.
  virtual std::uint64_t Overflows() const { return 0; }
  // One line for the status display, and its JSON fields.
  virtual std::string Describe() const = 0;
  virtual nlohmann::json Info() const = 0;
};

// The next chunk of `source` in *samples (cleared first), cut so that at most
// `duration_s` seconds are read in all when `seen_s` seconds (at `rate`) were
// read before (duration_s <= 0: no limit). False once the source or the
// duration has ended, or the source failed: then *failure says why (the
// caller finishes what was heard before reporting it).
bool ReadChunk(LiveSource& source, double duration_s, double seen_s, double rate, std::vector<float>* samples,
               std::string* failure);

// Opens the source the options name. Throws auris::Error naming the file or
// device and the problem (missing file, no microphone, bad rate, ...).
std::unique_ptr<LiveSource> OpenLiveSource(const LiveSourceOptions& options, double model_rate);

}  // namespace auris::cli
