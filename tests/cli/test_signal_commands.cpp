// SIGINT and SIGTERM stop every long command, not only fit: exit status 128 + signal within a
// few seconds, nothing on stdout, the old output file byte for byte, no temporary file left.

#include "support.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

// Generous for a loaded 2-core machine; the typical stop takes milliseconds (MESSAGE below).
constexpr double kMaxStopSeconds = 5.0;
const std::string kOldOutput = "an earlier result\n";

// A 64-column model of 200 layers: each row costs 200 rotations of 64 x 64, so the commands
// below take seconds even on a fast machine (a 2-column model once looked deep enough, until the
// speed work made a million rows of it take 0.4 s and the signal arrived after the output).
constexpr int kColumns = 64;

/// `rows` rows of kColumns neighbour-correlated uniform values (u_{j+1} + u_j / 2, u uniform
/// in [-1, 1]), or latent-sized values uniform in [-2, 2] when latent. A full-rank cloud: data on
/// a curve gives a model whose inverse leaves the range it can represent.
void write_rows(const std::string& path, int rows, bool latent, std::uint64_t seed) {
  std::mt19937_64 engine(seed);  // its output sequence is fixed by the standard
  const auto uniform = [&engine] {
    return static_cast<double>(engine() >> 11) * 0x1.0p-53 * 2.0 - 1.0;
  };
  std::string text;
  for (int j = 0; j < kColumns; ++j) text += (j ? ",c" : "c") + std::to_string(j);
  text += '\n';
  char value[32];
  for (int r = 0; r < rows; ++r) {
    double previous = uniform();
    for (int j = 0; j < kColumns; ++j) {
      const double next = uniform();
      const double x = latent ? 2.0 * next : next + 0.5 * previous;
      previous = next;
      std::snprintf(value, sizeof value, j ? ",%.3f" : "%.3f", x);
      text += value;
    }
    text += '\n';
  }
  write_text(path, text);
}

/// Runs args with `output` holding kOldOutput, signals it once `ready()` holds (run_and_signal)
/// and checks the stop.
void check_stops(TempDir& dir, const std::vector<std::string>& args, const std::string& output,
                 int signal_number, const std::function<bool()>& ready = after_delay(500)) {
  write_text(output, kOldOutput);
  const std::vector<std::string> before = list_folder(dir.path());
  const std::string err = dir / ".io/signal.err";
  const std::string out = dir / ".io/signal.out";
  double seconds = 0.0;
  const int raw = run_and_signal(args, signal_number, err, &seconds, ready, out);
  MESSAGE("rbig ", args[0], ": stopped ", seconds, " s after signal ", signal_number);
  INFO("rbig ", args[0], ", signal ", signal_number, ", stderr: ", read_text(err));
  REQUIRE(WIFEXITED(raw));
  CHECK(WEXITSTATUS(raw) == 128 + signal_number);
  CHECK(seconds < kMaxStopSeconds);
  CHECK(contains(read_text(err), "interrupted"));
  CHECK(read_text(out).empty());
  CHECK(read_text(output) == kOldOutput);
  CHECK(list_folder(dir.path()) == before);  // no temporary file left beside the output
}

/// True once a temporary file beside `output` (rbig writes ".NAME.tmp-…", then renames it)
/// holds at least `bytes`: the command is then writing its result.
std::function<bool()> temporary_output_holds(const fs::path& output, std::uintmax_t bytes) {
  return [output, bytes] {
    const std::string prefix = "." + output.filename().string() + ".tmp";
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(output.parent_path(), error)) {
      if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
      const std::uintmax_t size = fs::file_size(entry.path(), error);
      if (!error && size >= bytes) return true;
    }
    return false;
  };
}

}  // namespace

TEST_CASE("SIGINT or SIGTERM stops score, transform, inverse and sample of a deep model") {
  TempDir dir;
  fs::create_directories(dir.path() / ".io");
  const std::string training = dir / "training.csv";
  write_rows(training, 500, false, 1);
  const std::string model = dir / "deep.rbig";
  const Result fit = dir.run({"fit", training, "-o", model, "-q", "--marginal", "kde", "--layers",
                              "200", "--damping", "1"});
  INFO("fit stderr: ", fit.err);
  REQUIRE(fit.status == 0);
  // 100,000 rows through the model: about 4 s of work on 2 cores here (score, 2026-12), 8 times
  // the delay of the signal. `sample -n 1000000` is ten times that.
  const std::string data = dir / "data.csv";
  const std::string latent = dir / "latent.csv";
  write_rows(data, 100000, false, 2);
  write_rows(latent, 100000, true, 3);
  const std::string output = dir / "out.csv";
  for (const int signal_number : {SIGINT, SIGTERM}) {
    check_stops(dir, {"score", model, data, "-o", output}, output, signal_number);
    check_stops(dir, {"transform", model, data, "-o", output}, output, signal_number);
    check_stops(dir, {"inverse", model, latent, "-o", output}, output, signal_number);
    check_stops(dir, {"sample", model, "-n", "1000000", "-o", output}, output, signal_number);
  }
}

TEST_CASE("SIGTERM while sample writes a large output keeps the old file") {
  TempDir dir;
  fs::create_directories(dir.path() / ".io");
  const std::string model = dir / "shallow.rbig";
  const Result fit = dir.run({"fit", kFaithful, "-o", model, "-q", "--marginal", "histogram",
                              "--layers", "1", "--damping", "1"});
  REQUIRE(fit.status == 0);
  // One layer: the draws take under a second, writing 20 million rows (725 MB) a few seconds.
  // The first signal goes 100 ms in, while drawing; the others once the temporary file has
  // begun, and once it holds 100 MB, while the CSV is being written. Fixed delays of 2.5 and
  // 5 s missed it once the writing got faster.
  const std::string output = dir / "s.csv";
  const std::vector<std::string> args = {"sample", model, "-n", "20000000", "-o", output};
  check_stops(dir, args, output, SIGTERM, after_delay(100));
  check_stops(dir, args, output, SIGTERM, temporary_output_holds(output, 1));
  check_stops(dir, args, output, SIGTERM, temporary_output_holds(output, 100'000'000));
}

TEST_CASE("SIGINT or SIGTERM stops a bootstrap measure without printing a result") {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    TempDir dir;
    fs::create_directories(dir.path() / ".io");
    const std::string unused = dir / "unused.txt";
    check_stops(dir, {"tc", (kData / "breast_cancer.csv").string(), "--bootstrap", "3000"}, unused,
                signal_number);
    check_stops(dir, {"entropy", (kData / "breast_cancer.csv").string(), "--bootstrap", "3000"},
                unused, signal_number, after_delay(2000));
  }
}
