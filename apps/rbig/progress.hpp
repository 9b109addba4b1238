#pragma once
/// The progress of a fit on stderr (stdout stays clean for --json). On a terminal one line that
/// rewrites itself (fit k of K and its configuration, layer, held-out score, elapsed and
/// estimated time left); otherwise plain lines, at most one per second. Nothing for the first
/// second, so short fits stay silent, and nothing at all when quiet.

#include <rbig/model.hpp>

#include <chrono>
#include <string>

namespace rbig::cli {

class FitProgress {
 public:
  explicit FitProgress(bool quiet);
  FitProgress(const FitProgress&) = delete;
  FitProgress& operator=(const FitProgress&) = delete;
  /// finish() if not called.
  ~FitProgress() { finish(); }
  /// Ends the rewritten line, so that later output starts on a line of its own.
  void finish();

  /// The fit's observer: shows the layer when due; false once SIGINT or SIGTERM arrived.
  bool operator()(const LayerReport& layer);

 private:
  using Clock = std::chrono::steady_clock;
  std::string describe(const LayerReport& layer, double elapsed);
  /// Seconds the fits after the current one will take, from the mean of those finished; < 0
  /// while none has finished.
  double seconds_left(const LayerReport& layer, double elapsed) const;

  bool quiet_;
  bool terminal_;
  Clock::time_point start_ = Clock::now();
  double last_shown_ = 0.0;  // seconds since start_ of the last line shown
  bool line_open_ = false;   // a rewritten line is on the terminal, not yet ended
  int current_fit_ = 1;
  double current_fit_start_ = 0.0;
  int finished_fits_ = 0;
};

}  // namespace rbig::cli
