// libFuzzer target for Kaldi segments files: any input is read or refused
// with auris::Error; every segment read is a valid time range, and applying
// the segments to recordings named after them keeps their order and times.
#include <cmath>

#include "auris/core/error.h"
#include "auris/io/inputs.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace auris;
  std::vector<io::Segment> segments;
  try {
    segments = io::ReadSegments(fuzz::WriteInput(data, size, "segments"));
  } catch (const Error&) {
    return 0;
  }
  std::vector<io::InputItem> recordings;
  for (const io::Segment& s : segments) {
    fuzz::Require(std::isfinite(s.start) && s.start >= 0 && (s.end == -1 || s.end > s.start) && s.channel >= -1);
    io::InputItem r;
    r.uttid = s.recording_id;
    r.path = s.recording_id + ".wav";
    recordings.push_back(r);
  }
  std::vector<io::InputItem> items;
  try {
    items = io::ApplySegments(recordings, segments, "segments");
  } catch (const Error&) {
    return 0;  // duplicate segment ids
  }
  fuzz::Require(items.size() == segments.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    fuzz::Require(items[i].uttid == segments[i].segment_id && items[i].start == segments[i].start &&
                  items[i].end == segments[i].end);
  return 0;
}
