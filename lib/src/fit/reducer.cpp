#include "fit/reducer.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

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

void Reducer::min(std::vector<std::uint8_t>& values) const {
  std::vector<double> wide(values.begin(), values.end());
  min(wide);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::uint8_t>(wide[i]);
}

void Reducer::bitwise_or(std::vector<std::uint64_t>& values) const {
  // Each word as two doubles (exact: halves below 2³²), every participant's words after the
  // previous one's; all participants call with the same size.
  if (values.empty()) return;
  std::vector<double> halves;
  halves.reserve(2 * values.size());
  for (std::uint64_t word : values) {
    halves.push_back(static_cast<double>(word & 0xFFFFFFFFu));
    halves.push_back(static_cast<double>(word >> 32));
  }
  const std::vector<double> all = gather(halves);
  std::fill(values.begin(), values.end(), std::uint64_t{0});
  for (size_t at = 0; at < all.size(); at += 2) {
    const size_t i = (at / 2) % values.size();
    values[i] |= static_cast<std::uint64_t>(all[at]) | static_cast<std::uint64_t>(all[at + 1])
                                                           << 32;
  }
}

namespace {

constexpr int kDigits = ExactSum::kDigits;
constexpr size_t kOneRoundSums = 4;  // up to this many sums: one reduction, every digit

ExactSum whole(const ExactSum& sum) { return sum; }
ExactSum whole(const WindowedExactSum& sum) { return sum.expand(); }
void store(ExactSum& to, const ExactSum& from) { to = from; }
void store(WindowedExactSum& to, const ExactSum& from) { to.assign(from); }

/// Bits per chunk: chunks below 2^bits in magnitude from `participants` sum below 2³¹.
int chunk_bits(int participants) {
  int bits = 31;
  for (int reach = 1; reach < participants; reach *= 2) --bits;
  return bits;
}

/// Bits [at, at + bits) of magnitude digits (each in [0, 2³²)).
std::int64_t chunk_of(const std::array<std::int64_t, kDigits>& magnitude, int at, int bits) {
  const auto digit = static_cast<size_t>(at / 32);
  std::uint64_t window = static_cast<std::uint64_t>(magnitude[digit]);
  if (digit + 1 < magnitude.size())
    window |= static_cast<std::uint64_t>(magnitude[digit + 1]) << 32;
  return static_cast<std::int64_t>((window >> (at % 32)) & ((std::uint64_t{1} << bits) - 1));
}

/// The sum of the non-finite values from how many +inf, −inf and NaN were added in all.
double special_from(std::int32_t positive, std::int32_t negative, std::int32_t nan) {
  if (nan > 0 || (positive > 0 && negative > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (positive > 0) return std::numeric_limits<double>::infinity();
  return negative > 0 ? -std::numeric_limits<double>::infinity() : 0.0;
}

template <typename Sum>
void sum_exact_chunked(std::vector<Sum>& sums, const Reducer& reducer) {
  if (reducer.is_local()) return;
  const size_t count = sums.size();
  // Each sum's digit span over all participants, [low, high], and whether any participant
  // added a non-finite value (then three counts a sum follow its chunks).
  std::vector<int> low(count, 0), high(count, kDigits - 1);
  bool specials = true;
  if (count > kOneRoundSums) {
    // Per sum its lowest digit and 69 − its highest (70 and 70 when zero), then 1 − special.
    std::vector<std::uint8_t> span(2 * count + 1);
    bool special = false;
    for (size_t i = 0; i < count; ++i) {
      ExactSum sum = whole(sums[i]);
      sum.normalize_sign_magnitude();
      span[2 * i] = static_cast<std::uint8_t>(sum.lowest_digit());
      span[2 * i + 1] = static_cast<std::uint8_t>(kDigits - 1 - sum.highest_digit());
      special = special || sum.special() != 0.0;
    }
    span.back() = special ? 0 : 1;
    reducer.min(span);
    for (size_t i = 0; i < count; ++i) {
      low[i] = span[2 * i];
      high[i] = kDigits - 1 - span[2 * i + 1];
    }
    specials = span.back() == 0;
  }
  const int bits = chunk_bits(reducer.participants());
  const auto chunks = [&](size_t i) {
    return high[i] < low[i] ? 0 : (32 * (high[i] - low[i] + 1) + bits - 1) / bits;
  };
  std::vector<std::int32_t> packed;
  for (size_t i = 0; i < count; ++i) {
    ExactSum sum = whole(sums[i]);
    sum.normalize_sign_magnitude();
    std::array<std::int64_t, kDigits> magnitude = std::as_const(sum).digits();
    const int top = sum.highest_digit();
    const bool negative = top >= 0 && magnitude[static_cast<size_t>(top)] < 0;
    if (negative) {
      for (auto& digit : magnitude) digit = -digit;
    }
    for (int c = 0; c < chunks(i); ++c) {
      const std::int64_t chunk = chunk_of(magnitude, 32 * low[i] + bits * c, bits);
      packed.push_back(static_cast<std::int32_t>(negative ? -chunk : chunk));
    }
    if (specials) {
      const double special = sum.special();
      packed.push_back(special > 0.0 ? 1 : 0);
      packed.push_back(special < 0.0 ? 1 : 0);
      packed.push_back(std::isnan(special) ? 1 : 0);
    }
  }
  reducer.sum(packed);
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    ExactSum total;
    for (int c = 0; c < chunks(i); ++c) total.add_integer(packed[at++], 32 * low[i] + bits * c);
    if (specials) {
      total.set_special(special_from(packed[at], packed[at + 1], packed[at + 2]));
      at += 3;
    }
    total.normalize();
    store(sums[i], total);
  }
}

}  // namespace

void sum_exact(std::vector<ExactSum>& sums, const Reducer& reducer) {
  sum_exact_chunked(sums, reducer);
}

void sum_exact(std::vector<WindowedExactSum>& sums, const Reducer& reducer) {
  sum_exact_chunked(sums, reducer);
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
