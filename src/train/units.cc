#include "auris/train/units.h"

#include <set>
#include <sstream>

#include "auris/core/error.h"
#include "auris/pipeline/transcriber.h"

namespace auris::train {

Units ParseUnits(const std::string& name) {
  if (name == "words") return Units::kWords;
  if (name == "chars") return Units::kChars;
  throw MakeError("--units '", name, "': expected words or chars");
}

const char* UnitsName(Units units) { return units == Units::kWords ? "words" : "chars"; }

std::vector<std::string> SplitUnits(const std::string& transcript, Units units) {
  std::istringstream ss(transcript);
  std::vector<std::string> out;
  for (std::string word; ss >> word;) {
    if (units == Units::kWords) {
      out.push_back(word);
      continue;
    }
    if (!out.empty()) out.push_back(kSpaceUnit);
    for (char c : word) out.emplace_back(1, c);  // bytes: ASCII transcripts; UTF-8 would need code points
  }
  return out;
}

std::vector<std::string> CtcLabels(const std::vector<Example>& examples, Units units) {
  std::set<std::string> s;
  for (const Example& e : examples)
    for (std::string& u : SplitUnits(e.label, units)) s.insert(std::move(u));
  std::vector<std::string> labels{kBlankLabel};
  labels.insert(labels.end(), s.begin(), s.end());
  return labels;
}

decode::EditAlignment AlignWords(const std::vector<int>& ref, const std::vector<int>& hyp,
                                 const std::vector<std::string>& labels, Units units) {
  const auto words_of = [&](const std::vector<int>& ids) {
    std::vector<std::string> w;
    for (pipeline::WordTokens& t : pipeline::GroupWords(ids, labels, units == Units::kChars))
      w.push_back(std::move(t.word));
    return w;
  };
  return decode::Align(words_of(ref), words_of(hyp));
}

}  // namespace auris::train
