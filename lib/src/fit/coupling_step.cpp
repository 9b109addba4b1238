#include "fit/coupling_step.hpp"

namespace rbig::detail {

std::optional<CouplingStep> try_coupling_step(MatrixRef work, double min_gain) {
  if (work.cols() < 2) return std::nullopt;
  CouplingMap map = CouplingMap::fit(work);
  if (map.pairs().empty() || !(map.training_gain() > min_gain)) return std::nullopt;
  Matrix y = work;
  Vector log_det = Vector::Zero(work.rows());
  map.forward(y, log_det);
  if (!y.allFinite() || !log_det.allFinite()) return std::nullopt;
  work = y;
  const double gain = map.training_gain();
  return CouplingStep{std::move(map), std::move(log_det), gain};
}

}  // namespace rbig::detail
