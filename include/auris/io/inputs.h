// Turning the command line's input argument(s) into a list of utterances.
//
// Input specs (ExpandInputs):
//   scp:FILE     Kaldi wav.scp ("-" = stdin): "uttid path" lines, or
//                "uttid command args |" lines whose command's stdout is the
//                audio (kept verbatim in InputItem::command, without the '|').
//   list:FILE    a list file, one audio path (or directory) per line; "-" =
//                stdin. Blank lines and lines starting with '#' are skipped.
//   -            same as list:-
//   FILE.lst / FILE.list / FILE.txt   a list file as well
//   DIR          every audio file below DIR, recursively (extensions, case-
//                insensitive: wav wave flac ogg oga opus mp3 aif aiff aifc au
//                snd caf w64 sph nist voc), sorted by relative path (byte
//                order) so the order is the same on every machine.
//   FILE         one audio file.
// Utterance ids: wav.scp gives them. For a file, the file name without its
// extension (stem). For files found in a directory, the path relative to
// that directory without the extension, '/' replaced by '-' (spk1/a.wav ->
// spk1-a), so equal names in different subdirectories stay distinct. Two
// inputs with the same id are an error naming both (never silently renamed).
//
// Segments (Kaldi `segments`: "segid recid start end [channel]", seconds,
// end -1 = to the end): each line becomes one item named segid that reads
// [start, end) of the input whose uttid is recid; the items come out in the
// segments file's order and recordings without segments are dropped (as
// extract-segments does). A malformed line or an unknown recording id is an
// error naming the file and line.
#pragma once

#include <string>
#include <vector>

namespace auris::io {

struct InputItem {
  std::string uttid;
  std::string path;     // audio file; empty for pipe inputs
  std::string command;  // wav.scp pipe command (without the trailing '|'); empty for files
  double start = 0;     // segment start, seconds
  double end = -1;      // segment end, seconds; -1 = to the end of the recording
  int channel = -1;     // segments' optional channel; -1 = use --channel
  std::string recording;  // the recording id a segment came from ("" without segments)

  bool IsPipe() const { return !command.empty(); }
  // Where the audio comes from, for messages: the path or the command.
  std::string Source() const { return IsPipe() ? command + " |" : path; }
};

std::vector<InputItem> ExpandInputs(const std::vector<std::string>& specs,
                                    const std::string& segments_path = "");
std::vector<InputItem> ExpandInputs(const std::string& spec, const std::string& segments_path = "");

// The pieces, usable on their own. "-" reads stdin.
std::vector<InputItem> ReadWavScp(const std::string& path);
std::vector<InputItem> ReadListFile(const std::string& path);
std::vector<InputItem> ScanAudioDirectory(const std::string& dir);

struct Segment {
  std::string segment_id, recording_id;
  double start = 0, end = -1;
  int channel = -1;
};
std::vector<Segment> ReadSegments(const std::string& path);
std::vector<InputItem> ApplySegments(const std::vector<InputItem>& recordings,
                                     const std::vector<Segment>& segments, const std::string& segments_path);

bool HasAudioExtension(const std::string& path);

}  // namespace auris::io
