#include "portaudio_library.h"

#include <dlfcn.h>
#include <portaudio.h>

#include <mutex>

#include "auris/core/error.h"

namespace auris::audio::internal {
namespace {

std::mutex& LibraryMutex() {
  static std::mutex m;
  return m;
}

void IgnoreJackMessage(const char*) {}
void IgnoreAlsaMessage(const char*, int, const char*, int, const char*, ...) {}

// PortAudio probes JACK first; libjack then prints "Cannot connect to
// server" lines on stderr, and alsa-lib prints plugin failures. Library code
// does not print, so route both to no-ops. The functions are looked up at
// run time (both libraries are loaded as PortAudio's dependencies), which
// needs neither library's headers nor a link dependency.
void SilenceHostLibraries() {
  using JackFn = void (*)(void (*)(const char*));
  for (const char* name : {"jack_set_error_function", "jack_set_info_function"})
    if (auto fn = reinterpret_cast<JackFn>(dlsym(RTLD_DEFAULT, name))) fn(&IgnoreJackMessage);
  using AlsaHandler = void (*)(const char*, int, const char*, int, const char*, ...);
  using AlsaFn = int (*)(AlsaHandler);
  if (auto fn = reinterpret_cast<AlsaFn>(dlsym(RTLD_DEFAULT, "snd_lib_error_set_handler")))
    fn(&IgnoreAlsaMessage);
}

}  // namespace

std::string PortAudioErrorText(int pa_error) {
  std::string text = std::string("PortAudio: ") + Pa_GetErrorText(static_cast<PaError>(pa_error));
  if (pa_error == paUnanticipatedHostError) {
    const PaHostErrorInfo* host = Pa_GetLastHostErrorInfo();
    if (host != nullptr && host->errorText != nullptr && host->errorText[0] != '\0')
      text += std::string(" (") + host->errorText + ")";
  }
  return text;
}

std::shared_ptr<void> AcquirePortAudio() {
  std::lock_guard lock(LibraryMutex());
  SilenceHostLibraries();
  const PaError err = Pa_Initialize();
  if (err != paNoError) throw MakeError("cannot initialise audio input: ", PortAudioErrorText(err));
  // The handle owns nothing itself; its deleter balances Pa_Initialize.
  static int token = 0;
  return std::shared_ptr<void>(&token, [](void*) {
    std::lock_guard release_lock(LibraryMutex());
    Pa_Terminate();
  });
}

}  // namespace auris::audio::internal
