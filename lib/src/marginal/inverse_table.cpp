#include "marginal/inverse_table.hpp"

#include <rbig/error.hpp>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <memory>

namespace rbig::detail {
namespace {

// Newton steps before a value is left to the caller's fallback (a start in the right cell needs
// one to three: the map is smooth inside a cell, so each step squares the relative error).
constexpr int kMaxSteps = 8;
// A step shorter than this fraction of the cell ends the iteration: Newton's next error is about
// (h''/2h')·step², ~1e-14 of the cell here, far below the 1e-9 round-trip bound.
constexpr double kSettledStep = 1e-7;
// A bracket this narrow (a fraction of the cell) holds the solution to within half its width.
constexpr double kSettledBracket = 1e-12;
// Limit on the Hermite end slopes (cell units) that keeps the cubic start monotone
// (Fritsch & Carlson, SIAM J. Numer. Anal. 17, 1980: slopes in [0, 3] suffice).
constexpr double kMaxHermiteSlope = 3.0;
// The first Newton step uses the slope of the cubic Hermite start, whose error e(s) vanishes
// with its derivative at both nodes: to leading order e ∝ s²(1 − s)², so the slope's relative
// error is about 2e·|1 − 2s|/(s(1 − s)) and the step's result is off by about e times that. The
// bound below takes 8× that; the rest take exact-slope steps. On the default two-moons model
// (2,000 rows, starts logged once by hand) it settled 94 % of values, and the inverse moved by
// at most 1.2e-14 against the exact-slope iteration; the bisection test guards the accuracy.
constexpr double kFirstStepSafety = 8.0;
// e² · 2·kFirstStepSafety / (s(1 − s)) ≤ kSettledBracket, with e in cells: the bound on e².
constexpr double kFirstStepFactor = kSettledBracket / (2.0 * kFirstStepSafety);
// Buckets of the cell search per cell of the table: a scan of about one cell on average.
constexpr size_t kBucketsPerCell = 2;

}  // namespace

InverseTable::InverseTable(const std::vector<double>& nodes, int subdivisions,
                           const MapWithSlope& map) {
  assert(nodes.size() >= 2 && subdivisions >= 1);
  const size_t cells = nodes.size() - 1;
  const size_t per_cell = static_cast<size_t>(subdivisions);
  const Index count = static_cast<Index>(cells * per_cell + 1);
  Vector at(count);
  for (size_t c = 0; c < cells; ++c) {
    const double width = nodes[c + 1] - nodes[c];
    for (size_t p = 0; p < per_cell; ++p) {
      at[static_cast<Index>(c * per_cell + p)] =
          nodes[c] + width * static_cast<double>(p) / static_cast<double>(per_cell);
    }
  }
  at[count - 1] = nodes.back();
  Vector value(count), slope(count);
  map(at, value, slope);
  x_.assign(at.data(), at.data() + count);
  value_.assign(value.data(), value.data() + count);
  // The map is increasing; a rounding step backwards must not break the cell search.
  for (size_t k = 1; k < value_.size(); ++k) value_[k] = std::max(value_[k], value_[k - 1]);
  // The inverse t(s) on a cell, t = (x − x_k)/width against s = (z − h(x_k))/rise, has end
  // slopes rise/(width·h'): its cubic Hermite interpolant is the start.
  cells_.resize(value_.size() - 1);
  for (size_t k = 0; k + 1 < value_.size(); ++k) {
    const double rise = value_[k + 1] - value_[k];
    const double width = x_[k + 1] - x_[k];
    const double m0 = rise / (width * slope[static_cast<Index>(k)]);
    const double m1 = rise / (width * slope[static_cast<Index>(k + 1)]);
    const auto usable = [](double m) { return m >= 0.0 ? std::min(m, kMaxHermiteSlope) : 1.0; };
    // The first step's error model needs the exact end slopes: not clamped, not replaced.
    const bool exact = m0 > 0.0 && m0 <= kMaxHermiteSlope && m1 > 0.0 && m1 <= kMaxHermiteSlope;
    cells_[k] = rise > 0.0 ? make_cell(k, 1.0 / rise, usable(m0), usable(m1), exact)
                           : make_cell(k, 0.0, 1.0, 1.0, false);
  }
  const size_t buckets = kBucketsPerCell * (value_.size() - 1);
  const double span = value_.back() - value_.front();
  bucket_origin_ = value_.front();
  buckets_per_unit_ = span > 0.0 ? static_cast<double>(buckets) / span : 0.0;
  // The passes index cells and buckets with int (gathers of 32-bit indices).
  if (buckets >= static_cast<size_t>(std::numeric_limits<int>::max())) {
    throw NumericalError("inverse table: too many cells");
  }
  bucket_cell_.resize(buckets + 1);
  size_t cell = 0;
  for (size_t b = 0; b <= buckets; ++b) {
    const double lower = bucket_origin_ + static_cast<double>(b) / buckets_per_unit_;
    while (cell + 2 < value_.size() && value_[cell + 1] <= lower) ++cell;
    bucket_cell_[b] = span > 0.0 ? static_cast<int>(cell) : 0;
  }
}

InverseCell InverseTable::make_cell(size_t k, double inverse_rise, double m0, double m1,
                                    bool exact_ends) const {
  // The Hermite cubic with end slopes m0, m1 in the power basis: t(s) = s·(c1 + s·(c2 + s·c3)).
  const double width = x_[k + 1] - x_[k];
  return {value_[k],
          inverse_rise,
          x_[k],
          width,
          m0,
          3.0 - 2.0 * m0 - m1,
          m0 + m1 - 2.0,
          width * inverse_rise,
          exact_ends ? kFirstStepFactor * width * width : -std::numeric_limits<double>::infinity()};
}

InverseTableView InverseTable::view() const {
  return {x_.data(),
          value_.data(),
          static_cast<int>(value_.size() - 2),
          cells_.data(),
          bucket_cell_.data(),
          bucket_origin_,
          buckets_per_unit_,
          static_cast<int>(bucket_cell_.size() - 1)};
}

std::vector<Index> InverseTable::invert(ConstVectorRef z, VectorRef x, const MapValue& map_value,
                                        const MapWithSlope& map) const {
  const Index n = z.size();
  // First, one evaluation of h alone at every start, and a Newton step with the slope of the
  // Hermite interpolant instead of h' (the start's own error model says when that has settled).
  // A target outside the table (or NaN) is evaluated at the first node, a harmless placeholder.
  // The per-value state lives in arrays (structure of arrays), filled by start_pass.
  const InverseTableView table = view();
  // Arrays without zeroing (filled by the passes).
  const std::unique_ptr<int[]> cell(new int[static_cast<size_t>(n)]);
  Vector start(n), inverse_slope(n), settled_squared(n);
  start_pass(table, z.data(), n, cell.get(), start.data(), inverse_slope.data(),
             settled_squared.data());
  Vector value(n);
  map_value(start, value);
  // Values the first step did not settle, iterated below: index, target, point, bracket, cell.
  struct Pending {
    Index index;
    double target, at, lo, hi, cell;
  };
  std::vector<Pending> pending;
  std::vector<Index> unresolved;
  // The first step, over raw pointers (as start_pass, so that nothing is reloaded per value).
  const double* const target_at = z.data();
  const double* const node = x_.data();
  const double* const start_at = start.data();
  const double* const start_slope = inverse_slope.data();
  const double* const settle_bound = settled_squared.data();
  const double* const value_at = value.data();
  double* const result = x.data();
  for (Index i = 0; i < n; ++i) {
    const int k = cell[static_cast<size_t>(i)];
    if (k == kOutsideCell) {
      unresolved.push_back(i);
      continue;
    }
    const double lo = node[k];
    const double hi = node[k + 1];
    const double at = start_at[i];
    const double target = target_at[i];
    const double residual = value_at[i] - target;
    const double step = residual * start_slope[i];  // ≈ the start's error
    const double newton = at - step;
    if (residual == 0.0 || step * step <= settle_bound[i]) {
      result[i] = std::clamp(newton, lo, hi);  // z may alias x: z[i] is not read again
      continue;
    }
    Pending p{i, target, at, lo, hi, hi - lo};
    (residual < 0.0 ? p.lo : p.hi) = at;
    p.at = newton > p.lo && newton < p.hi ? newton : 0.5 * (p.lo + p.hi);
    pending.push_back(p);
  }
  Vector at;
  Vector slope;
  for (int step = 1; step < kMaxSteps && !pending.empty(); ++step) {
    const Index m = static_cast<Index>(pending.size());
    at.resize(m);
    value.resize(m);
    slope.resize(m);
    for (Index k = 0; k < m; ++k) at[k] = pending[static_cast<size_t>(k)].at;
    map(at, value, slope);
    size_t kept = 0;
    for (Index k = 0; k < m; ++k) {
      Pending p = pending[static_cast<size_t>(k)];
      const double residual = value[k] - p.target;
      if (residual == 0.0) {
        x[p.index] = p.at;
        continue;
      }
      (residual < 0.0 ? p.lo : p.hi) = p.at;
      const double newton = p.at - residual / slope[k];
      if (std::abs(newton - p.at) <= kSettledStep * p.cell) {
        x[p.index] = std::clamp(newton, p.lo, p.hi);
        continue;
      }
      if (p.hi - p.lo <= kSettledBracket * p.cell) {  // a bracket narrow enough on its own
        x[p.index] = 0.5 * (p.lo + p.hi);
        continue;
      }
      p.at = newton > p.lo && newton < p.hi ? newton : 0.5 * (p.lo + p.hi);
      pending[kept++] = p;
    }
    pending.resize(kept);
  }
  for (const Pending& p : pending) unresolved.push_back(p.index);
  std::sort(unresolved.begin(), unresolved.end());
  return unresolved;
}

}  // namespace rbig::detail
