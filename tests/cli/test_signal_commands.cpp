// SIGINT and SIGTERM stop every long command, not only fit: exit status 128 + signal within a
// few seconds, nothing on stdout, the old output file byte for byte, no temporary file left.

#include "support.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

// Generous for a loaded 2-core machine; the typical stop takes milliseconds (MESSAGE below).
constexpr double kMaxStopSeconds = 5.0;
const std::string kOldOutput = "an earlier result\n";

/// `rows` rows shaped like Old Faithful (eruption minutes, waiting minutes), or latent-sized
/// values in [-2, 2] when latent.
void write_rows(const std::string& path, int rows, bool latent) {
  std::string text = "a,b\n";
  for (int r = 0; r < rows; ++r) {
    const double u = (r % 997) / 997.0;
    const double v = (r % 991) / 991.0;
    text += latent ? std::to_string(4 * u - 2) + "," + std::to_string(4 * v - 2)
                   : std::to_string(1.6 + 3.5 * u) + "," + std::to_string(43 + 53 * v);
    text += '\n';
  }
  write_text(path, text);
}

/// Runs args with `output` holding kOldOutput, signals it after delay_ms and checks the stop.
void check_stops(TempDir& dir, const std::vector<std::string>& args, const std::string& output,
                 int signal_number, int delay_ms = 500) {
  write_text(output, kOldOutput);
  const std::vector<std::string> before = list_folder(dir.path());
  const std::string err = dir / ".io/signal.err";
  const std::string out = dir / ".io/signal.out";
  double seconds = 0.0;
  const int raw = run_and_signal(args, signal_number, err, &seconds, delay_ms, out);
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

}  // namespace

TEST_CASE("SIGINT or SIGTERM stops score, transform, inverse and sample of a deep model") {
  TempDir dir;
  fs::create_directories(dir.path() / ".io");
  const std::string model = dir / "deep.rbig";
  const Result fit = dir.run({"fit", kFaithful, "-o", model, "-q", "--marginal", "kde", "--layers",
                              "200", "--damping", "1"});
  INFO("fit stderr: ", fit.err);
  REQUIRE(fit.status == 0);
  // A million rows through 200 layers: tens of seconds of work unless stopped.
  const std::string data = dir / "data.csv";
  const std::string latent = dir / "latent.csv";
  write_rows(data, 1000000, false);
  write_rows(latent, 1000000, true);
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
  // One layer: the draws take about a second, writing 20 million rows much longer, so the
  // later signals arrive while the CSV is being written (the earlier one while drawing).
  const std::string output = dir / "s.csv";
  for (const int delay_ms : {500, 2500, 5000}) {
    check_stops(dir, {"sample", model, "-n", "20000000", "-o", output}, output, SIGTERM, delay_ms);
  }
}

TEST_CASE("SIGINT or SIGTERM stops a bootstrap measure without printing a result") {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    TempDir dir;
    fs::create_directories(dir.path() / ".io");
    const std::string unused = dir / "unused.txt";
    check_stops(dir, {"tc", (kData / "breast_cancer.csv").string(), "--bootstrap", "3000"}, unused,
                signal_number);
    check_stops(dir, {"entropy", (kData / "breast_cancer.csv").string(), "--bootstrap", "3000"},
                unused, signal_number, 2000);
  }
}
