// Features and transcript of one audio file with a CTC model, through the
// installed auris library:
//   transcribe_wav MODEL.safetensors AUDIO.wav
// prints "<file> TAB <text>" as `auris transcribe` does, after a line on
// stderr with the feature matrix's shape.
#include <cstdio>
#include <exception>

#include "auris/pipeline/recognizer.h"
#include "auris/pipeline/transcriber.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s MODEL.safetensors AUDIO.wav\n", argv[0]);
    return 2;
  }
  try {
    const auris::pipeline::Recognizer recognizer = auris::pipeline::Recognizer::Load(argv[1]);
    // The model file carries its feature options: the audio is resampled to
    // the model's rate and gets exactly the features the model was trained on.
    const auris::pipeline::UtteranceFeatures features =
        recognizer.ExtractFeatures({.uttid = "utt", .path = argv[2]});
    std::fprintf(stderr, "%s: %lld frames of %lld features (%.2f s of audio)\n", argv[2],
                 static_cast<long long>(features.features.rows()), static_cast<long long>(features.features.cols()),
                 features.audio_seconds);
    const auris::pipeline::Transcript transcript =
        auris::pipeline::Transcribe(recognizer, features.features, features.audio_seconds, {});
    std::printf("%s\t%s\n", argv[2], transcript.text.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "transcribe_wav: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
