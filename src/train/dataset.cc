#include "auris/train/dataset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "auris/core/error.h"

namespace auris::train {
namespace fs = std::filesystem;

namespace {

// First whitespace-separated field and the rest with blank runs collapsed.
std::pair<std::string, std::string> SplitKey(const std::string& line) {
  std::istringstream ss(line);
  std::string key, word, rest;
  ss >> key;
  while (ss >> word) rest += (rest.empty() ? "" : " ") + word;
  return {key, rest};
}

template <typename F>
void ForEachLine(const std::string& path, const std::string& what, F&& f) {
  std::ifstream in(path);
  if (!in) throw MakeError(path, ": cannot open ", what);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    f(line, n);
  }
}

void CheckUniqueIds(const DataSet& set) {
  std::map<std::string, const Example*> seen;
  for (const Example& e : set.examples) {
    const auto [it, inserted] = seen.emplace(e.source.uttid, &e);
    if (!inserted)
      throw MakeError(set.spec, ": duplicate id '", e.source.uttid, "' (", it->second->source.Source(), " and ",
                      e.source.Source(), ")");
  }
}

DataSet ReadLabelDirectory(const std::string& dir) {
  DataSet set{dir, {}, {}};
  if (!fs::is_directory(dir)) throw MakeError(dir, ": no such directory (data spec)");
  std::vector<fs::path> labels;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory() && !entry.path().filename().string().starts_with("_")) labels.push_back(entry.path());
  std::sort(labels.begin(), labels.end());
  for (const fs::path& sub : labels) {
    const std::string label = sub.filename().string();
    for (io::InputItem& item : io::ScanAudioDirectory(sub.string())) {
      item.uttid = label + "-" + item.uttid;
      set.examples.push_back({std::move(item), label, ""});
    }
  }
  if (set.examples.empty()) throw MakeError(dir, ": no audio files in label subfolders (DIR/<label>/*.wav)");
  return set;
}

DataSet ReadLabelList(const std::string& path) {
  DataSet set{"list:" + path, {}, {}};
  const fs::path base = fs::path(path).parent_path();
  ForEachLine(path, "list file", [&](const std::string& line, int n) {
    auto [file, label] = SplitKey(line);
    if (file.empty() || file[0] == '#') return;
    const std::string where = path + ":" + std::to_string(n);
    if (label.empty()) {
      set.problems.push_back({where, "no label after the audio path"});
      return;
    }
    io::InputItem item;
    item.path = fs::path(file).is_absolute() ? file : (base / file).lexically_normal().string();
    // Normalised first, so "./a.wav" and "a.wav" give the same id "a"; no root for absolute paths.
    std::string id = fs::path(file).lexically_normal().relative_path().replace_extension().generic_string();
    while (id.starts_with("../")) id = id.substr(3);
    std::replace(id.begin(), id.end(), '/', '-');
    item.uttid = id;
    set.examples.push_back({std::move(item), label, ""});
  });
  return set;
}

std::string JoinWords(const std::vector<WordSpan>& words) {
  std::string t;
  for (const WordSpan& w : words) t += (t.empty() ? "" : " ") + w.word;
  return t;
}

// words.ctm: "<uttid> <channel> <start> <duration> <word>" per line, seconds;
// words sorted by start within each utterance.
std::map<std::string, std::vector<WordSpan>> ReadCtm(const std::string& path) {
  std::map<std::string, std::vector<WordSpan>> ctm;
  ForEachLine(path, "CTM file", [&](const std::string& line, int n) {
    std::istringstream in(line);
    std::string id, channel, word;
    double start = 0, duration = 0;
    if (!(in >> id)) return;
    if (!(in >> channel >> start >> duration >> word) || start < 0 || duration < 0 || !std::isfinite(start + duration))
      throw MakeError(path, ":", n, ": expected \"<uttid> <channel> <start> <duration> <word>\" with times >= 0");
    ctm[id].push_back({word, start, start + duration});
  });
  for (auto& [id, words] : ctm)
    std::stable_sort(words.begin(), words.end(), [](const WordSpan& a, const WordSpan& b) { return a.start_s < b.start_s; });
  return ctm;
}

DataSet ReadKaldiDir(const std::string& dir) {
  DataSet set{"kaldi:" + dir, {}, {}};
  const fs::path d(dir);
  if (!fs::is_directory(d)) throw MakeError(dir, ": no such directory (kaldi: data spec)");
  const std::string segments = fs::exists(d / "segments") ? (d / "segments").string() : "";
  std::vector<io::InputItem> items = io::ExpandInputs("scp:" + (d / "wav.scp").string(), segments);
  std::map<std::string, std::string> text, spk;
  const std::string text_path = (d / "text").string();
  ForEachLine(text_path, "Kaldi text file", [&](const std::string& line, int) {
    auto [id, words] = SplitKey(line);
    if (!id.empty()) text[id] = words;
  });
  if (fs::exists(d / "utt2spk"))
    ForEachLine((d / "utt2spk").string(), "utt2spk", [&](const std::string& line, int) {
      auto [id, s] = SplitKey(line);
      if (!id.empty()) spk[id] = s;
    });
  const std::string ctm_path = (d / "words.ctm").string();
  const std::map<std::string, std::vector<WordSpan>> ctm =
      fs::exists(ctm_path) ? ReadCtm(ctm_path) : std::map<std::string, std::vector<WordSpan>>{};
  for (io::InputItem& item : items) {
    const auto t = text.find(item.uttid);
    if (t == text.end() || t->second.empty()) {
      set.problems.push_back({item.uttid, t == text.end() ? "no line in " + text_path : "empty transcript in " + text_path});
      continue;
    }
    // An utterance absent from words.ctm is untimed (e.g. real recordings
    // combined with generated, timed strings).
    std::vector<WordSpan> words;
    if (const auto c = ctm.find(item.uttid); c != ctm.end()) {
      if (JoinWords(c->second) != t->second) {
        set.problems.push_back({item.uttid, "words in " + ctm_path + " differ from the transcript"});
        continue;
      }
      words = c->second;
    }
    const auto s = spk.find(item.uttid);
    set.examples.push_back({std::move(item), t->second, s == spk.end() ? "" : s->second, std::move(words)});
  }
  return set;
}

}  // namespace

DataSet ReadDataSpec(const std::string& spec) {
  DataSet set;
  if (spec.starts_with("list:")) set = ReadLabelList(spec.substr(5));
  else if (spec.starts_with("kaldi:")) set = ReadKaldiDir(spec.substr(6));
  else set = ReadLabelDirectory(spec);
  CheckUniqueIds(set);
  return set;
}

std::vector<std::string> DistinctLabels(const std::vector<Example>& examples) {
  std::set<std::string> s;
  for (const Example& e : examples) s.insert(e.label);
  return {s.begin(), s.end()};
}

}  // namespace auris::train
