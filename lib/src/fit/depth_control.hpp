#pragma once
// How deep a fit goes and how many of its layers it keeps.
//  - Information rule (no validation rows, no fixed depth): a layer is small when its ΔT is below
//    the calibrated threshold; after `patience` small layers in a row the fit stops and drops the
//    trailing small layers but one, whose marginal step Gaussianizes what the last significant
//    rotation left behind.
//  - Validation rows: after each layer the mean held-out log-likelihood of the cascade so far;
//    the fit stops `validation_patience` layers after the best one and keeps the best depth.
//  - FitOptions::layers: exactly that many layers, no early stop.

#include <rbig/layer.hpp>
#include <rbig/model.hpp>
#include <rbig/options.hpp>

#include "fit/reducer.hpp"
#include "fit/work_buffer.hpp"

#include <string>
#include <vector>

namespace rbig::detail {

/// The held-out rows, carried through the cascade layer by layer with their log|det J|.
class HeldOutRows {
 public:
  /// rows: none for a fit without validation; copied (to work_file.held-out-work when
  /// work_file is set, work_buffer.hpp).
  HeldOutRows(const StackedRows* rows, const std::string& work_file);
  bool active() const { return active_; }
  /// Moves the rows through `layer`; returns the cascade's mean held-out log-likelihood (nats).
  double advance(const Layer& layer, const Reducer& reducer);

 private:
  bool active_;
  WorkBuffer rows_;
  Vector log_det_;
};

class DepthControl {
 public:
  DepthControl(const FitOptions& options, bool validating, double small_threshold);

  /// Records layer k's ΔT (k ≥ 1); true when the information rule stops the fit here.
  bool record_reduction(int layer, double reduction);
  /// Records the held-out score after `depth` layers; true when validation stops the fit.
  bool record_validation(double mean_log_prob, size_t depth);
  /// The held-out score after `depth` layers (1-based).
  double validation_score(size_t depth) const { return curve_[depth - 1]; }

  /// Truncates layers and report to the kept depth for this stop and writes its message.
  void keep_chosen_depth(std::vector<Layer>& layers, FitReport& report) const;

 private:
  FitOptions options_;
  bool validating_;
  double small_threshold_;
  int small_run_ = 0;
  int last_significant_ = 0;  // 1-based layer number; 0: none yet
  std::vector<double> curve_;
  size_t best_depth_ = 0;
};

}  // namespace rbig::detail
