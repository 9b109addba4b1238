#include "progress.hpp"

#include "common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <unistd.h>

namespace rbig::cli {
namespace {

constexpr double kSilentFor = 1.0;       // seconds before the first line
constexpr double kTerminalEvery = 0.1;   // seconds between rewrites of the terminal line
constexpr double kPlainLineEvery = 1.0;  // seconds between plain lines

std::string duration(double seconds) {
  const long whole = std::lround(seconds);
  if (whole < 60) return fmt::format("{} s", whole);
  if (whole < 3600) return fmt::format("{}:{:02} min", whole / 60, whole % 60);
  return fmt::format("{}:{:02}:{:02} h", whole / 3600, whole / 60 % 60, whole % 60);
}

}  // namespace

FitProgress::FitProgress(bool quiet) : quiet_(quiet), terminal_(isatty(fileno(stderr)) == 1) {}

void FitProgress::finish() {
  if (line_open_) std::fputc('\n', stderr);
  line_open_ = false;
}

bool FitProgress::operator()(const LayerReport& layer) {
  if (interrupted()) return false;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  if (layer.candidate != current_fit_) {  // a fit of the selection finished
    finished_fits_ = layer.candidate - 1;
    current_fit_ = layer.candidate;
    current_fit_start_ = elapsed;
  }
  if (quiet_ || elapsed < kSilentFor) return true;
  if (elapsed - last_shown_ < (terminal_ ? kTerminalEvery : kPlainLineEvery)) return true;
  last_shown_ = elapsed;
  const std::string text = describe(layer, elapsed);
  if (terminal_) {
    // Back to the start of the line, then clear what a longer previous line left.
    fmt::print(stderr, "\r{}\x1b[K", text);
    line_open_ = true;
  } else {
    fmt::print(stderr, "{}\n", text);
  }
  std::fflush(stderr);
  return true;
}

std::string FitProgress::describe(const LayerReport& layer, double elapsed) {
  std::string text;
  if (layer.candidates > 1 || !layer.candidate_name.empty()) {
    text = fmt::format("fit {}/{} ({}): ", layer.candidate, layer.candidates, layer.candidate_name);
  }
  text +=
      fmt::format("layer {}: information reduction {:.4g} nats", layer.layer, layer.info_reduction);
  if (layer.validation_log_prob)
    text += fmt::format(", held-out {:.5g}", *layer.validation_log_prob);
  text += fmt::format(", {} elapsed", duration(elapsed));
  const double left = seconds_left(layer, elapsed);
  if (left >= 0.0) text += fmt::format(", about {} left", duration(left));
  return text;
}

double FitProgress::seconds_left(const LayerReport& layer, double elapsed) const {
  if (finished_fits_ == 0) return -1.0;
  const double per_fit = current_fit_start_ / finished_fits_;
  const double in_current = elapsed - current_fit_start_;
  const double after_current = per_fit * (layer.candidates - layer.candidate);
  return after_current + std::max(per_fit - in_current, 0.0);
}

}  // namespace rbig::cli
