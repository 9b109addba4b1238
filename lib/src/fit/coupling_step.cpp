#include "fit/coupling_step.hpp"

#include <rbig/error.hpp>

#include "fit/mixture_rows.hpp"

namespace rbig::detail {

std::optional<CouplingStep> try_coupling_step(MatrixRef work, double min_gain,
                                              const Reducer& reducer) {
  if (work.cols() < 2) return std::nullopt;
  CouplingMap map = CouplingMap::fit(gather_rows_by_stride(work, kCouplingFitRows, reducer));
  if (map.pairs().empty() || !(map.training_gain() > min_gain)) return std::nullopt;
  // In place (the work matrix may be a work file's mapping): finite rows stay finite, as the
  // fitted log-scales are bounded (coupling_fit.cpp) and beyond the window the slope is 1.
  Vector log_det = Vector::Zero(work.rows());
  map.forward(work, log_det);
  if (!work.allFinite() || !log_det.allFinite())
    throw NumericalError("coupling layer: the map gave values that are not finite");
  const double gain = map.training_gain();
  return CouplingStep{std::move(map), std::move(log_det), gain};
}

}  // namespace rbig::detail
