// Fits of many columns: a warning with the cost before the work starts, and a signal still stops
// them within seconds (issue 15, item 9).

#include "support.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <cstdint>
#include <string>

using namespace rbig::cli_test;

namespace {

/// rows × columns of uniform pseudo-random values in [0, 1) (a fixed linear congruential stream).
void write_uniform(const std::string& path, int rows, int columns) {
  std::uint64_t state = 12345;
  std::string text;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      text += (c > 0 ? "," : "") +
              std::to_string(static_cast<double>(state >> 11) / 9007199254740992.0);
    }
    text += '\n';
  }
  write_text(path, text);
}

}  // namespace

TEST_CASE("a fit of 400 columns warns about its size first and stops on SIGTERM") {
  TempDir dir;
  fs::create_directories(dir.path() / ".io");
  const std::string data = dir / "wide.csv";
  write_uniform(data, 450, 400);
  const std::string model = dir / "m.rbig";
  const std::string err = dir / ".io/err.txt";
  double seconds = 0.0;
  // The signal goes once the warning is out: the fit has seconds of work left then (7.5 s in
  // all here), where a fixed delay would depend on the machine's speed.
  const auto warned = [&err] { return contains(read_text(err), "warning"); };
  const int raw = run_and_signal({"fit", data, "-o", model}, SIGTERM, err, &seconds, warned);
  const std::string messages = read_text(err);
  MESSAGE("400-column fit: stopped ", seconds, " s after SIGTERM");
  INFO("stderr: ", messages);
  REQUIRE(WIFEXITED(raw));
  CHECK(WEXITSTATUS(raw) == 128 + SIGTERM);
  CHECK(seconds < 5.0);
  CHECK(contains(messages, "rbig: warning: " + data +
                               ": 400 columns: each layer holds a 400×400 "
                               "rotation"));
  CHECK(!fs::exists(model));
}

TEST_CASE("a fit of a few columns does not warn about its size") {
  TempDir dir;
  const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig"});
  REQUIRE(r.status == 0);
  CHECK(!contains(r.err, "warning"));
}
