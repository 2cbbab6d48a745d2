// PortAudio initialisation shared by every user in the process (internal to
// audio). Pa_Initialize/Pa_Terminate are reference counted by PortAudio but
// not thread-safe; this serialises them and ties them to object lifetimes.
#pragma once

#include <memory>
#include <string>

namespace auris::audio::internal {

// PortAudio stays initialised while any returned handle is alive. Throws
// auris::Error with PortAudio's message when initialisation fails.
std::shared_ptr<void> AcquirePortAudio();

// "PortAudio: <Pa_GetErrorText>" plus the host API's text for
// paUnanticipatedHostError.
std::string PortAudioErrorText(int pa_error);

}  // namespace auris::audio::internal
