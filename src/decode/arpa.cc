// ARPA reading and writing for NgramLm:
//
//   \data\   (a line of its own)
//   ngram 1=<count>
//   ngram 2=<count>
//
//   \1-grams:
//   <log10 prob> <word> [<log10 back-off>]
//   ...
//   \2-grams:
//   <log10 prob> <word1> <word2> [<log10 back-off>]
//   ...
//   \end\   (a line of its own)
//
// Fields are separated by spaces or tabs; text before \data\ (SRILM writes a
// header) and blank lines are ignored; "\r\n" line ends are accepted.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "auris/core/error.h"
#include "auris/decode/ngram_lm.h"

namespace auris::decode {
namespace {

class Lines {
 public:
  Lines(std::string_view text, const std::string& name) : text_(text), name_(name) {}
  // The next line without its end; false at the end of the text.
  bool Next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t end = std::min(text_.find('\n', pos_), text_.size());
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  int Number() const { return number_; }
  template <typename... Args>
  [[nodiscard]] Error Fail(Args&&... args) const {
    return MakeError(name_, ":", number_, ": ", std::forward<Args>(args)...);
  }

 private:
  std::string_view text_;
  const std::string& name_;
  std::size_t pos_ = 0;
  int number_ = 0;
};

// Fields are separated by any ASCII blank: a word can never hold a '\r'
// (or '\v', '\f'), which would not survive writing and reading back (found
// by fuzzing: "<w>\r " read as "<w>\r", written at a line end, read as "<w>").
constexpr const char* kBlanks = " \t\r\v\f";

std::string_view Trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(kBlanks);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kBlanks) - b + 1);
}

std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (true) {
    i = s.find_first_not_of(kBlanks, i);
    if (i == std::string_view::npos) return out;
    const std::size_t end = std::min(s.find_first_of(kBlanks, i), s.size());
    out.push_back(s.substr(i, end - i));
    i = end;
  }
}

bool ParseFloat(std::string_view s, float& v) {
  if (s == "-inf") {  // log10(0), as SRILM writes it
    v = -INFINITY;
    return true;
  }
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(v);
}

// "ngram <order>=<count>": order and count, or false.
bool ParseCount(std::string_view line, int& order, std::size_t& count) {
  const std::vector<std::string_view> f = Fields(line);
  if (f.size() != 2 || f[0] != "ngram") return false;
  const std::size_t eq = f[1].find('=');
  if (eq == std::string_view::npos) return false;
  const char* b = f[1].data();
  const char* e = b + f[1].size();
  auto r1 = std::from_chars(b, b + eq, order);
  auto r2 = std::from_chars(b + eq + 1, e, count);
  return r1.ec == std::errc() && r1.ptr == b + eq && r2.ec == std::errc() && r2.ptr == e;
}

std::string SectionHeader(int order) { return "\\" + std::to_string(order) + "-grams:"; }

std::string Shortest(float v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

}  // namespace

NgramLm NgramLm::ParseArpa(std::string_view text, const std::string& name) {
  Lines lines(text, name);
  std::string_view line;
  bool found = false;
  while (!found && lines.Next(line)) found = Trim(line) == "\\data\\";
  if (!found) throw MakeError(name, ": not an ARPA language model (no \\data\\ line)");
  std::vector<std::size_t> counts;
  std::vector<int> count_lines;
  while (lines.Next(line)) {
    const std::string_view t = Trim(line);
    if (t.empty()) continue;
    if (t.front() == '\\') break;
    int order = 0;
    std::size_t count = 0;
    if (!ParseCount(t, order, count)) throw lines.Fail("expected 'ngram N=COUNT', got '", t, "'");
    if (order != static_cast<int>(counts.size()) + 1)
      throw lines.Fail("expected the count of ", counts.size() + 1, "-grams, got ", order, "-grams");
    counts.push_back(count);
    count_lines.push_back(lines.Number());
  }
  if (counts.empty()) throw lines.Fail("no 'ngram N=COUNT' lines after \\data\\");
  std::vector<std::vector<NgramEntry>> by_order(counts.size());
  std::vector<std::string_view> fields;
  for (int order = 1; order <= static_cast<int>(counts.size()); ++order) {
    if (Trim(line) != SectionHeader(order))
      throw lines.Fail("expected ", SectionHeader(order), ", got '", Trim(line), "'");
    std::vector<NgramEntry>& entries = by_order[static_cast<std::size_t>(order) - 1];
    bool more = false;
    while ((more = lines.Next(line))) {
      const std::string_view t = Trim(line);
      if (t.empty()) continue;
      if (t.front() == '\\') break;
      fields = Fields(t);
      if (fields.size() != static_cast<std::size_t>(order) + 1 && fields.size() != static_cast<std::size_t>(order) + 2)
        throw lines.Fail("a ", order, "-gram line needs a log10 probability, ", order,
                         " word(s) and an optional back-off; got ", fields.size(), " fields");
      NgramEntry e;
      e.line = lines.Number();
      if (!ParseFloat(fields[0], e.log10_prob) || e.log10_prob > 0)
        throw lines.Fail("bad log10 probability '", fields[0], "'");
      const bool backoff = fields.size() == static_cast<std::size_t>(order) + 2;
      if (backoff && order == static_cast<int>(counts.size()))
        throw lines.Fail("a back-off weight on a ", order, "-gram, the highest order");
      if (backoff && (!ParseFloat(fields.back(), e.log10_backoff) || !std::isfinite(e.log10_backoff)))
        throw lines.Fail("bad log10 back-off weight '", fields.back(), "'");
      for (int k = 1; k <= order; ++k) e.words.emplace_back(fields[static_cast<std::size_t>(k)]);
      entries.push_back(std::move(e));
    }
    if (entries.size() != counts[static_cast<std::size_t>(order) - 1])
      throw MakeError(name, ":", count_lines[static_cast<std::size_t>(order) - 1], ": \\data\\ announces ",
                      counts[static_cast<std::size_t>(order) - 1], " ", order, "-grams, the file lists ",
                      entries.size());
    if (!more) throw lines.Fail("the file ends inside the ", order, "-grams (no \\end\\)");
  }
  if (Trim(line) != "\\end\\") throw lines.Fail("expected \\end\\, got '", Trim(line), "'");
  return NgramLm(by_order, name);
}

NgramLm NgramLm::ReadArpa(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MakeError("cannot open language model ", path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw MakeError("cannot read language model ", path);
  return ParseArpa(buf.str(), path);
}

std::string NgramLm::ToArpa() const {
  std::string out = "\\data\\\n";
  for (std::size_t k = 0; k < counts_.size(); ++k)
    out += "ngram " + std::to_string(k + 1) + "=" + std::to_string(counts_[k]) + "\n";
  std::vector<WordId> words;
  for (int order = 1; order <= Order(); ++order) {
    out += "\n" + SectionHeader(order) + "\n";
    for (const Node& n : nodes_) {
      if (n.order != order) continue;
      words.clear();
      for (const Node* p = &n; p->order > 0; p = &nodes_[p->history]) words.push_back(p->word);
      out += Shortest(n.log10_prob);
      for (auto w = words.rbegin(); w != words.rend(); ++w) out += "\t" + words_[static_cast<std::size_t>(*w)];
      if (order < Order()) out += "\t" + Shortest(n.log10_backoff);
      out += "\n";
    }
  }
  out += "\n\\end\\\n";
  return out;
}

}  // namespace auris::decode
