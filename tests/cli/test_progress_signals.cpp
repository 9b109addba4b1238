// Long fits: progress on stderr only, --quiet, and stopping by SIGINT or SIGTERM.

#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include <signal.h>
#include <sys/wait.h>

#include <regex>
#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

// A fit that would run for a very long time unless stopped: tol 0 and a million layers.
std::vector<std::string> endless_fit(const std::string& model) {
  return {"fit",          (kData / "breast_cancer.csv").string(),
          "-o",           model,
          "--tol",        "0",
          "--max-layers", "1000000",
          "--patience",   "1000000",
          "--validation", "0"};
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t begin = 0;
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', begin)) {
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  if (begin < text.size()) lines.push_back(text.substr(begin));
  return lines;
}

}  // namespace

TEST_CASE("progress goes to stderr only: --json stdout parses after a longer fit") {
  TempDir dir;
  // tol 0 and patience = max-layers: the fit runs all its layers, long enough (a few seconds) to
  // report progress.
  const Result r = dir.run({"fit", (kData / "breast_cancer.csv").string(), "-o", dir / "m.rbig",
                            "--json", "--tol", "0", "--max-layers", "2000", "--patience", "2000",
                            "--no-gaussian-fallback"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  CHECK(!contains(r.out, "information reduction"));
  // Progress starts after one second; only then can it be required on stderr.
  if (json["seconds"].get<double>() > 1.2) CHECK(contains(r.err, "information reduction"));
}

TEST_CASE("progress off a terminal: plain lines, at most one per second, naming each fit") {
  TempDir dir;
  // A default fit chooses among several configurations: each line names its fit k/K.
  const Result r = dir.run({"fit", (kData / "breast_cancer.csv").string(), "-o", dir / "m.rbig",
                            "--json", "--max-layers", "60"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const double seconds = parse_json_object(r.out)["seconds"].get<double>();
  // --max-layers 60 binds here, which the fit warns about once at the end: not a progress line.
  std::vector<std::string> lines = split_lines(r.err);
  lines.erase(std::remove_if(lines.begin(), lines.end(),
                             [](const std::string& line) {
                               return line.rfind("rbig: warning: the fit stopped at", 0) == 0;
                             }),
              lines.end());
  // The first line comes after one second, then at most one per second.
  CHECK(static_cast<double>(lines.size()) <= seconds);
  for (const std::string& line : lines) {
    CHECK(line.find('\r') == std::string::npos);  // no terminal rewriting in a file
    // "fit 3/10 (kde, damping 0.5, bandwidth silverman): layer 12: …"
    CHECK(std::regex_search(line, std::regex("^fit [0-9]+/[0-9]+ \\((kde|spline|refit: )")));
    CHECK(contains(line, " elapsed"));
  }
  if (seconds > 2.5) {
    REQUIRE(!lines.empty());
    CHECK(contains(r.err, "held-out"));
  }
}

TEST_CASE("--quiet silences progress") {
  TempDir dir;
  const Result r = dir.run({"fit", (kData / "breast_cancer.csv").string(), "-o", dir / "m.rbig",
                            "--quiet", "--tol", "0", "--max-layers", "2000", "--patience", "2000",
                            "--no-gaussian-fallback"});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
}

TEST_CASE("SIGINT or SIGTERM stops a fit: exit status 128 + signal and no model file") {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    TempDir dir;
    const std::string model = dir / "m.rbig";
    const std::string err = dir / "stderr.txt";
    const int raw = run_and_signal(endless_fit(model), signal_number, err);
    INFO("signal ", signal_number, ", stderr: ", read_text(err));
    REQUIRE(WIFEXITED(raw));
    CHECK(WEXITSTATUS(raw) == 128 + signal_number);
    CHECK(contains(read_text(err), "interrupted"));
    CHECK(!fs::exists(model));
  }
}

TEST_CASE("a fit interrupted by SIGINT or SIGTERM leaves the previous model intact") {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    TempDir dir;
    const std::string model = fit_faithful(dir, "m.rbig");
    const std::string before = read_text(model);
    std::vector<std::string> args = endless_fit(model);
    args.push_back("-q");
    const int raw = run_and_signal(args, signal_number);
    INFO("signal ", signal_number);
    REQUIRE(WIFEXITED(raw));
    CHECK(WEXITSTATUS(raw) == 128 + signal_number);
    CHECK(read_text(model) == before);
    // No temporary file is left beside it.
    CHECK(list_folder(dir.path()) == std::vector<std::string>{".io", "m.rbig"});
  }
}
