#include "auris/audio/audio.h"

#include "auris/core/error.h"

namespace auris::audio {

int ResolveChannel(int channel, int num_channels, const std::string& name, std::string* warning) {
  if (num_channels <= 0) throw MakeError(name, ": audio has no channels");
  if (channel < -1) throw MakeError(name, ": invalid --channel ", channel, " (use -1, 0, 1, ...)");
  if (channel == -1) {
    if (num_channels != 1 && warning != nullptr)
      *warning = name + ": channel not specified but the audio has " +
                 std::to_string(num_channels) + " channels; defaulting to channel 0";
    return 0;
  }
  if (channel >= num_channels)
    throw MakeError(name, ": --channel ", channel, " requested but the audio has only ",
                    num_channels, " channel", num_channels == 1 ? "" : "s");
  return channel;
}

std::vector<float> SelectChannel(const Audio& audio, int channel, const std::string& name,
                                 std::string* warning) {
  const int c = ResolveChannel(channel, audio.num_channels, name, warning);
  const std::size_t frames = audio.NumFrames();
  std::vector<float> out(frames);
  for (std::size_t i = 0; i < frames; ++i) out[i] = audio.samples[i * audio.num_channels + c];
  return out;
}

std::vector<float> MixToMono(const Audio& audio) {
  if (audio.num_channels <= 0) throw MakeError("MixToMono: audio has no channels");
  const std::size_t frames = audio.NumFrames();
  const int nc = audio.num_channels;
  if (nc == 1) return audio.samples;
  std::vector<float> out(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    double sum = 0;
    for (int c = 0; c < nc; ++c) sum += audio.samples[i * nc + c];
    out[i] = static_cast<float>(sum / nc);
  }
  return out;
}

}  // namespace auris::audio
