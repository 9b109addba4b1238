#include "fit/reducer.hpp"

#include <cassert>
#include <cmath>
#include <limits>

namespace rbig::detail {

std::vector<std::optional<ColumnMoments>> merge_moments(
    std::vector<std::optional<ColumnMoments>> local, Index rows, const Reducer& reducer) {
  if (reducer.is_local()) return local;
  const size_t dims = local.size();
  const double n = static_cast<double>(rows);
  // Round 1: presence, counts, sums, ranges. An absent column contributes nothing but clears
  // the presence flag everywhere (min over participants). Presence, minima and negated maxima
  // go in one min reduction (negation is exact): two reductions where four would do.
  std::vector<double> sums(dims + 1, 0.0), extremes(3 * dims);
  sums[dims] = n;
  for (size_t d = 0; d < dims; ++d) {
    sums[d] = local[d] ? n * local[d]->mean : 0.0;
    extremes[d] = local[d] ? 1.0 : 0.0;
    extremes[dims + d] = local[d] ? local[d]->min : INFINITY;
    extremes[2 * dims + d] = local[d] ? -local[d]->max : INFINITY;
  }
  reducer.min(extremes);
  reducer.sum(sums);
  const double total = sums[dims];
  // Round 2: centred sums of squares about the global mean (Chan et al. 1979).
  std::vector<double> squares(dims, 0.0);
  for (size_t d = 0; d < dims; ++d) {
    if (!local[d]) continue;
    const double delta = local[d]->mean - sums[d] / total;
    squares[d] = (n - 1.0) * local[d]->sd * local[d]->sd + n * delta * delta;
  }
  reducer.sum(squares);
  std::vector<std::optional<ColumnMoments>> merged(dims);
  for (size_t d = 0; d < dims; ++d) {
    if (extremes[d] == 0.0) continue;
    merged[d] = ColumnMoments{extremes[dims + d], -extremes[2 * dims + d], sums[d] / total,
                              std::sqrt(squares[d] / (total - 1.0))};
  }
  return merged;
}

Matrix merge_covariance(const Matrix& local_covariance, const Vector& local_mean, Index rows,
                        const Reducer& reducer) {
  if (reducer.is_local()) return local_covariance;
  const Index dims = local_covariance.rows();
  const double n = static_cast<double>(rows);
  std::vector<double> sums(static_cast<size_t>(dims) + 1);
  for (Index d = 0; d < dims; ++d) sums[static_cast<size_t>(d)] = n * local_mean[d];
  sums.back() = n;
  reducer.sum(sums);
  const double total = sums.back();
  Vector delta(dims);
  for (Index d = 0; d < dims; ++d) delta[d] = local_mean[d] - sums[static_cast<size_t>(d)] / total;
  // The scatter is exactly symmetric (the covariance is, and δᵢ·δⱼ = δⱼ·δᵢ): only its lower
  // triangle is summed, D(D+1)/2 numbers where D² would repeat half of them.
  const Matrix scatter = (n - 1.0) * local_covariance + n * delta * delta.transpose();
  std::vector<double> lower;
  lower.reserve(static_cast<size_t>(dims * (dims + 1) / 2));
  for (Index j = 0; j < dims; ++j) {
    for (Index i = j; i < dims; ++i) lower.push_back(scatter(i, j));
  }
  reducer.sum(lower);
  Matrix merged(dims, dims);
  size_t at = 0;
  for (Index j = 0; j < dims; ++j) {
    for (Index i = j; i < dims; ++i) merged(i, j) = merged(j, i) = lower[at++];
  }
  return merged / (total - 1.0);
}

void sum_counts(std::vector<double>& counts, Index bound, const Reducer& reducer) {
  if (reducer.is_local()) return;
  if (bound >= std::numeric_limits<std::int32_t>::max()) {
    reducer.sum(counts);
    return;
  }
  std::vector<std::int32_t> narrow(counts.begin(), counts.end());
  reducer.sum(narrow);
  counts.assign(narrow.begin(), narrow.end());
}

namespace {

/// The sum's digits with one sign throughout (those of its magnitude, negated for a negative
/// sum): only the digits the magnitude needs are nonzero, where the two's-complement-like
/// normal form of a negative sum would fill every digit above them.
void to_sign_magnitude(ExactSum& sum) {
  sum.normalize();
  auto& digits = sum.digits();
  if (digits.back() >= 0) return;
  for (auto& digit : digits) digit = -digit;
  sum.normalize();
  for (auto& digit : digits) digit = -digit;
}

}  // namespace

void sum_exact(std::vector<ExactSum>& sums, const Reducer& reducer) {
  if (reducer.is_local()) return;
  constexpr int kDigits = ExactSum::kDigits;
  // Round 1: for each sum the lowest and (negated) highest digit in use, and whether a
  // non-finite value was added anywhere; one min reduction.
  std::vector<double> span(2 * sums.size() + 1);
  bool special = false;
  for (size_t i = 0; i < sums.size(); ++i) {
    to_sign_magnitude(sums[i]);
    const auto& digits = sums[i].digits();
    int low = 0;
    while (low < kDigits && digits[static_cast<size_t>(low)] == 0) ++low;
    int high = kDigits - 1;
    while (high >= 0 && digits[static_cast<size_t>(high)] == 0) --high;
    span[2 * i] = low;        // kDigits when the sum is zero here
    span[2 * i + 1] = -high;  // 1 when the sum is zero here
    special = special || sums[i].special() != 0.0;
  }
  span.back() = special ? -1.0 : 0.0;
  reducer.min(span);
  if (span.back() < 0.0) {
    std::vector<double> specials(sums.size());
    for (size_t i = 0; i < sums.size(); ++i) specials[i] = sums[i].special();
    reducer.sum(specials);
    for (size_t i = 0; i < sums.size(); ++i) sums[i].set_special(specials[i]);
  }
  // Round 2: the digits in each sum's span, added as integers (each below K·2³² in magnitude).
  std::vector<std::int64_t> packed;
  for (size_t i = 0; i < sums.size(); ++i) {
    const auto low = static_cast<int>(span[2 * i]);
    const auto high = static_cast<int>(-span[2 * i + 1]);
    for (int j = low; j <= high; ++j) packed.push_back(sums[i].digits()[static_cast<size_t>(j)]);
  }
  reducer.sum(packed);
  size_t at = 0;
  for (size_t i = 0; i < sums.size(); ++i) {
    const auto low = static_cast<int>(span[2 * i]);
    const auto high = static_cast<int>(-span[2 * i + 1]);
    auto& digits = sums[i].digits();
    digits.fill(0);
    for (int j = low; j <= high; ++j) digits[static_cast<size_t>(j)] = packed[at++];
    sums[i].normalize();
  }
}

ColumnsReducer::ColumnsReducer(const Reducer& inner, Index local_rows)
    : inner_(inner), local_rows_(local_rows), total_rows_(total_rows(local_rows, inner)) {}

std::optional<Index> ColumnsReducer::known_total(Index local_rows) const {
  assert(local_rows == local_rows_);
  if (local_rows != local_rows_) return std::nullopt;
  return total_rows_;
}

Index total_rows(Index local_rows, const Reducer& reducer) {
  if (reducer.is_local()) return local_rows;
  if (const std::optional<Index> known = reducer.known_total(local_rows)) return *known;
  std::vector<double> count{static_cast<double>(local_rows)};
  reducer.sum(count);
  return static_cast<Index>(count[0]);
}

Index rows_before(Index local_rows, const Reducer& reducer) {
  if (reducer.is_local()) return 0;
  const std::vector<double> counts = reducer.gather({static_cast<double>(local_rows)});
  double before = 0.0;
  for (int p = 0; p < reducer.participant(); ++p) before += counts[static_cast<size_t>(p)];
  return static_cast<Index>(before);
}

double mean_over_rows(ExactSum local_sum, Index rows, const Reducer& reducer) {
  std::vector<ExactSum> sums{local_sum};
  sum_exact(sums, reducer);
  return sums[0].value() / static_cast<double>(total_rows(rows, reducer));
}

double mean_over_rows(double local_sum, Index rows, const Reducer& reducer) {
  std::vector<double> sums{local_sum, static_cast<double>(rows)};
  reducer.sum(sums);
  return sums[0] / sums[1];
}

}  // namespace rbig::detail
