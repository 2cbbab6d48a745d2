#include "test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace auris::test {

std::string RefDir() {
  if (const char* env = std::getenv("AURIS_REF_DIR")) return env;
  return AURIS_REF_DIR;
}

std::string RefFile(const std::string& name) {
  const auto p = std::filesystem::path(RefDir()) / name;
  return std::filesystem::exists(p) ? p.string() : std::string();
}

std::string FsddDir() {
  const auto p = std::filesystem::path(AURIS_SHARED_DIR) / "data" / "fsdd" / "recordings";
  return std::filesystem::is_directory(p) ? p.string() : std::string();
}

std::string An4Dir() {
  const auto p = std::filesystem::path(AURIS_SHARED_DIR) / "data" / "an4";
  return std::filesystem::is_regular_file(p / "etc" / "an4_test.transcription") ? p.string() : std::string();
}

std::string SourceDir() { return AURIS_SOURCE_DIR; }

std::vector<SampleWord> SampleWords(std::initializer_list<double> offsets) {
  std::vector<SampleWord> words;
  for (double offset : offsets) {
    const std::string path = SourceDir() + "/data/samples/digit_string.ctm";
    std::ifstream ctm(path);
    if (!ctm) throw std::runtime_error("cannot read " + path);
    std::string id, chan, word;
    for (double s, d; ctm >> id >> chan >> s >> d >> word;) words.push_back({word, offset + s, offset + s + d});
  }
  return words;
}

std::string SampleText() {
  std::string text;
  for (const SampleWord& w : SampleWords()) text += (text.empty() ? "" : " ") + w.word;
  return text;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("auris-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int RunCommand(const std::string& command, std::string* output) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed: " + command);
  std::string out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  if (output != nullptr) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path);
}

namespace {
std::atomic<int> g_skipped{0};
}  // namespace

void MarkSkipped() { ++g_skipped; }
int NumSkipped() { return g_skipped.load(); }

}  // namespace auris::test
