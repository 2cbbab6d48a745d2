#include "auris/io/inputs.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>

#include "auris/core/error.h"

namespace auris::io {
namespace fs = std::filesystem;
namespace {

std::string Trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Runs `fn(line, line_no)` over the lines of `path` ("-" = stdin).
template <typename Fn>
void ForEachLine(const std::string& path, const char* what, Fn fn) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    if (fs::is_directory(path)) throw MakeError(path, ": is a directory, expected a ", what);
    file.open(path);
    if (!file) throw MakeError(path, ": cannot open ", what);
    in = &file;
  }
  std::string line;
  int line_no = 0;
  while (std::getline(*in, line)) fn(line, ++line_no);
  if (in->bad()) throw MakeError(path, ": read error in ", what);
}

std::string Stem(const std::string& path) { return fs::path(path).stem().string(); }

InputItem FileItem(const std::string& path) {
  InputItem item;
  item.path = path;
  item.uttid = Stem(path);
  if (item.uttid.empty()) throw MakeError(path, ": cannot derive an utterance id from this path");
  return item;
}

bool IsListFile(const std::string& path) {
  const std::string ext = Lower(fs::path(path).extension().string());
  return ext == ".lst" || ext == ".list" || ext == ".txt";
}

void ExpandOne(const std::string& spec, std::vector<InputItem>* out);

void ExpandPath(const std::string& path, std::vector<InputItem>* out) {
  if (fs::is_directory(path)) {
    const auto items = ScanAudioDirectory(path);
    out->insert(out->end(), items.begin(), items.end());
  } else {
    // A missing file still becomes an item: the per-file error is reported
    // when it is read, and the rest of the batch goes on.
    out->push_back(FileItem(path));
  }
}

void ExpandOne(const std::string& spec, std::vector<InputItem>* out) {
  std::vector<InputItem> items;
  if (spec.rfind("scp:", 0) == 0) items = ReadWavScp(spec.substr(4));
  else if (spec.rfind("list:", 0) == 0) items = ReadListFile(spec.substr(5));
  else if (spec == "-") items = ReadListFile("-");
  else if (!fs::is_directory(spec) && IsListFile(spec)) items = ReadListFile(spec);
  else ExpandPath(spec, &items);
  out->insert(out->end(), items.begin(), items.end());
}

void CheckUnique(const std::vector<InputItem>& items) {
  std::unordered_map<std::string, const InputItem*> seen;
  for (const InputItem& item : items) {
    const auto [it, inserted] = seen.emplace(item.uttid, &item);
    if (!inserted)
      throw MakeError("duplicate utterance id '", item.uttid, "' (", it->second->Source(), " and ",
                      item.Source(), ")");
  }
}

}  // namespace

bool HasAudioExtension(const std::string& path) {
  static const char* kExt[] = {".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif",
                               ".aiff", ".aifc", ".au", ".snd", ".caf", ".w64", ".sph", ".nist", ".voc"};
  const std::string ext = Lower(fs::path(path).extension().string());
  return std::find(std::begin(kExt), std::end(kExt), ext) != std::end(kExt);
}

std::vector<InputItem> ReadWavScp(const std::string& path) {
  std::vector<InputItem> items;
  ForEachLine(path, "wav.scp", [&](const std::string& raw, int line_no) {
    const std::string line = Trim(raw);
    if (line.empty()) return;
    const auto space = line.find_first_of(" \t");
    if (space == std::string::npos)
      throw MakeError(path, ":", line_no, ": expected '<uttid> <path>' or '<uttid> <command> |', got '", line, "'");
    InputItem item;
    item.uttid = line.substr(0, space);
    const std::string value = Trim(line.substr(space));
    if (value.back() == '|') {
      item.command = Trim(value.substr(0, value.size() - 1));
      if (item.command.empty()) throw MakeError(path, ":", line_no, ": empty pipe command for '", item.uttid, "'");
    } else {
      item.path = value;
    }
    items.push_back(std::move(item));
  });
  CheckUnique(items);
  return items;
}

std::vector<InputItem> ReadListFile(const std::string& path) {
  std::vector<InputItem> items;
  ForEachLine(path, "list file", [&](const std::string& raw, int) {
    const std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') return;
    ExpandPath(line, &items);
  });
  return items;
}

std::vector<InputItem> ScanAudioDirectory(const std::string& dir) {
  std::error_code ec;
  std::vector<std::pair<std::string, std::string>> found;  // (relative, full)
  fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec);
  if (ec) throw MakeError(dir, ": cannot read directory: ", ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw MakeError(dir, ": cannot read directory: ", ec.message());
    if (!it->is_regular_file(ec) || !HasAudioExtension(it->path().string())) continue;
    found.emplace_back(fs::relative(it->path(), dir).generic_string(), it->path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<InputItem> items;
  for (const auto& [rel, full] : found) {
    InputItem item;
    item.path = full;
    std::string id = fs::path(rel).replace_extension().generic_string();
    std::replace(id.begin(), id.end(), '/', '-');
    item.uttid = id;
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<Segment> ReadSegments(const std::string& path) {
  std::vector<Segment> segments;
  ForEachLine(path, "segments file", [&](const std::string& line, int line_no) {
    std::istringstream ss(line);
    std::vector<std::string> f;
    for (std::string w; ss >> w;) f.push_back(w);
    if (f.empty()) return;
    auto bad = [&](const std::string& why) {
      return MakeError(path, ":", line_no, ": ", why, " in '", Trim(line), "'");
    };
    if (f.size() != 4 && f.size() != 5) throw bad("expected '<segid> <recid> <start> <end> [<channel>]'");
    Segment s;
    s.segment_id = f[0];
    s.recording_id = f[1];
    auto number = [&](const std::string& text, const char* what) {
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size() || !std::isfinite(v)) throw bad(std::string("bad ") + what);
      return v;
    };
    s.start = number(f[2], "start time");
    s.end = number(f[3], "end time");
    // Kaldi extract-segments' validity rule.
    if (s.start < 0 || (s.end != -1.0 && s.end <= 0) || (s.start >= s.end && s.end > 0))
      throw bad("empty or invalid segment");
    if (f.size() == 5) {
      const double c = number(f[4], "channel");
      // Range first: casting an out-of-range double to int is undefined.
      if (c < 0 || c > std::numeric_limits<int>::max() || c != std::floor(c)) throw bad("bad channel");
      s.channel = static_cast<int>(c);
    }
    segments.push_back(std::move(s));
  });
  return segments;
}

std::vector<InputItem> ApplySegments(const std::vector<InputItem>& recordings,
                                     const std::vector<Segment>& segments, const std::string& segments_path) {
  std::unordered_map<std::string, const InputItem*> by_id;
  for (const InputItem& r : recordings) by_id.emplace(r.uttid, &r);
  std::vector<InputItem> items;
  items.reserve(segments.size());
  for (const Segment& s : segments) {
    const auto it = by_id.find(s.recording_id);
    if (it == by_id.end())
      throw MakeError(segments_path, ": segment '", s.segment_id, "' refers to recording '", s.recording_id,
                      "' which is not among the inputs");
    InputItem item = *it->second;
    item.uttid = s.segment_id;
    item.recording = s.recording_id;
    item.start = s.start;
    item.end = s.end;
    item.channel = s.channel;
    items.push_back(std::move(item));
  }
  CheckUnique(items);
  return items;
}

std::vector<InputItem> ExpandInputs(const std::vector<std::string>& specs, const std::string& segments_path) {
  std::vector<InputItem> items;
  for (const std::string& spec : specs) ExpandOne(spec, &items);
  CheckUnique(items);
  if (!segments_path.empty()) return ApplySegments(items, ReadSegments(segments_path), segments_path);
  return items;
}

std::vector<InputItem> ExpandInputs(const std::string& spec, const std::string& segments_path) {
  return ExpandInputs(std::vector<std::string>{spec}, segments_path);
}

}  // namespace auris::io
