#include "auris/train/evaluate_ctc.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auris/core/error.h"
#include "auris/core/thread_pool.h"
#include "auris/decode/edit_distance.h"

namespace auris::train {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> w;
  for (std::string s; in >> s;) w.push_back(s);
  return w;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

CtcEval EvaluateCtc(const pipeline::Recognizer& rec, const DataSet& data, const CtcEvalOptions& options,
                    int num_threads, Progress* progress) {
  if (rec.Task() != pipeline::ModelTask::kCtc) throw MakeError("a classifier; CTC evaluation needs a CTC model");
  options.decode.Validate();
  const std::size_t n = data.examples.size();
  std::vector<std::optional<pipeline::Transcript>> out(n);
  std::vector<std::string> failures(n);
  ThreadPool pool(num_threads);
  pool.ParallelFor(n, [&](std::size_t i, int) {
    double seconds = 0;
    try {
      const pipeline::UtteranceFeatures f = rec.ExtractFeatures(data.examples[i].source);
      seconds = f.audio_seconds;
      out[i] = pipeline::Transcribe(rec, f.features, f.audio_seconds, options.decode);
    } catch (const std::exception& ex) {
      failures[i] = ex.what();
    }
    if (progress) progress->Advance(seconds, !out[i]);
  });

  CtcEval eval;
  eval.tolerance_ms = options.tolerance_ms;
  eval.problems = data.problems;
  const double tol = options.tolerance_ms / 1000;
  for (std::size_t i = 0; i < n; ++i) {
    const Example& e = data.examples[i];
    if (!out[i]) {
      eval.problems.push_back({e.source.uttid, failures[i]});
      continue;
    }
    const std::vector<std::string> ref = Words(e.label);
    std::vector<std::string> hyp;
    for (const pipeline::TimedWord& w : out[i]->words) hyp.push_back(w.word);
    const decode::EditAlignment a = decode::Align(ref, hyp);
    ++eval.n_utts;
    eval.n_words += a.ref_length;
    eval.sub += a.substitutions, eval.del += a.deletions, eval.ins += a.insertions;
    if (a.Errors() > 0) {
      ++eval.sentence_errors;
      eval.errors.push_back({e.source.IsPipe() ? e.source.uttid : e.source.path, e.label, out[i]->text, a.Errors()});
    }
    if (e.words.empty()) continue;
    eval.timed_words += static_cast<long>(e.words.size());
    for (const decode::EditOp& op : a.ops) {
      if (op.kind != decode::EditOp::Kind::kMatch) continue;
      const WordSpan& truth = e.words[op.ref];
      const pipeline::TimedWord& got = out[i]->words[op.hyp];
      const double ds = got.start_s - truth.start_s, de = got.end_s - truth.end_s;
      eval.start_offsets_s.push_back(ds);
      eval.end_offsets_s.push_back(de);
      const bool s_ok = std::abs(ds) <= tol, e_ok = std::abs(de) <= tol;
      eval.start_within += s_ok, eval.end_within += e_ok, eval.both_within += s_ok && e_ok;
    }
  }
  return eval;
}

std::string CtcEvalJson(const CtcEval& e) {
  using nlohmann::json;
  json errors = json::array();
  for (const UtteranceError& u : e.errors) errors.push_back({{"file", u.file}, {"ref", u.ref}, {"hyp", u.hyp}});
  json j = {{"wer", e.Wer()}, {"ser", e.Ser()}, {"n_words", e.n_words}, {"n_utts", e.n_utts},
            {"sub", e.sub},   {"del", e.del},   {"ins", e.ins},         {"errors", errors}};
  if (e.timed_words > 0) {
    const double n = static_cast<double>(e.timed_words);
    j["timing"] = {{"tolerance_ms", e.tolerance_ms},
                   {"words", e.timed_words},
                   {"both_within", e.both_within / n},
                   {"start_within", e.start_within / n},
                   {"end_within", e.end_within / n},
                   {"start_offset_median_ms", Median(e.start_offsets_s) * 1000},
                   {"end_offset_median_ms", Median(e.end_offsets_s) * 1000}};
  }
  return j.dump();
}

}  // namespace auris::train
