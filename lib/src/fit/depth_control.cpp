#include "fit/depth_control.hpp"

#include "core/math_constants.hpp"
#include "fit/row_alignment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

namespace rbig::detail {

HeldOutRows::HeldOutRows(const StackedRows* rows, const std::string& work_file)
    : active_(rows != nullptr),
      rows_(rows ? WorkBuffer(work_file, "held-out-work", *rows) : WorkBuffer({}, "", 0, 0)),
      log_det_(Vector::Zero(rows_.rows())) {}

double HeldOutRows::advance(const Layer& layer, const Reducer& reducer) {
  const MatrixRef rows = rows_.ref();
  layer.forward(rows, log_det_);
  // Row by row in one fixed order, summed by units (row_alignment.hpp): the same bits however
  // the (aligned) rows are split among participants.
  const ExactSum sum =
      sum_by_units(rows.rows(), sum_unit_rows(total_rows(rows.rows(), reducer)), [&](Index i) {
        double squares = 0.0;
        for (Index c = 0; c < rows.cols(); ++c) squares += rows(i, c) * rows(i, c);
        return log_det_[i] - 0.5 * squares;
      });
  return mean_over_rows(sum, rows.rows(), reducer) - static_cast<double>(rows.cols()) * kLogSqrt2Pi;
}

DepthControl::DepthControl(const FitOptions& options, bool validating, double small_threshold)
    : options_(options), validating_(validating), small_threshold_(small_threshold) {}

bool DepthControl::record_reduction(int layer, double reduction) {
  small_run_ = reduction < small_threshold_ ? small_run_ + 1 : 0;
  if (small_run_ == 0) last_significant_ = layer;
  return !options_.layers && !validating_ && small_run_ >= options_.patience;
}

bool DepthControl::record_validation(double mean_log_prob, size_t depth) {
  curve_.push_back(mean_log_prob);
  if (best_depth_ == 0 || mean_log_prob > curve_[best_depth_ - 1]) best_depth_ = depth;
  return !options_.layers &&
         depth - best_depth_ >= static_cast<size_t>(options_.validation_patience);
}

void DepthControl::keep_chosen_depth(std::vector<Layer>& layers, FitReport& report) const {
  size_t keep = layers.size();
  if (report.stop == FitReport::Stop::Converged) {
    keep = std::min(layers.size(), static_cast<size_t>(last_significant_) + 1);
    report.message = fmt::format("{} small layers in a row (below {:.3g} nats); kept {} layers",
                                 options_.patience, small_threshold_, keep);
  } else if (validating_ && !options_.layers && report.stop != FitReport::Stop::Observer) {
    keep = best_depth_;
    assert(report.layers.size() >= keep);  // the stop comes validation_patience ≥ 1 later
    // The held-out rows chose this depth, so their score is optimistic for new data (wine:
    // −13.24 here against −14.71 on a fresh test split, issue 14): it is named a selection score.
    report.message = fmt::format("best selection score {:.6g} nats at layer {} of {} (optimistic)",
                                 curve_[best_depth_ - 1], best_depth_, curve_.size());
  }
  layers.erase(layers.begin() + static_cast<std::ptrdiff_t>(keep), layers.end());
  report.layers.resize(std::min(report.layers.size(), keep));
}

}  // namespace rbig::detail
