#include "fit/simplest_within_noise.hpp"

#include <rbig/model.hpp>

#include "stats/exact_sum.hpp"

#include <algorithm>
#include <cmath>

namespace rbig::detail {
namespace {

/// The per-row log-likelihood of the validation rows under one fit's layers.
Vector held_out_log_prob(const FittedCascade& fit, ConstMatrixRef validation) {
  return Model::from_layers(fit.layers).log_prob(validation);
}

/// The mean and standard error of the per-row differences, summed exactly (few rows, so cheap):
/// the same bits however the rows are split among processes, so every process count makes the
/// same choice.
PairedDifference mean_difference(const Vector& difference, const Reducer& reducer) {
  std::vector<ExactSum> sums(3);
  for (const double d : difference) {
    sums[0].add(d);
    sums[1].add(d * d);
  }
  sums[2].add(static_cast<double>(difference.size()));
  sum_exact(sums, reducer);
  const double n = sums[2].value();
  const double mean = sums[0].value() / n;
  const double variance =
      std::max(0.0, sums[1].value() / n - mean * mean) * n / std::max(1.0, n - 1.0);
  return {mean, std::sqrt(variance / n)};
}

}  // namespace

PairedDifference paired_difference(const FittedCascade& a, const FittedCascade& b,
                                   ConstMatrixRef validation, const Reducer& reducer) {
  return mean_difference(held_out_log_prob(a, validation) - held_out_log_prob(b, validation),
                         reducer);
}

std::size_t simplest_within_noise(const std::vector<const FittedCascade*>& fits,
                                  const std::vector<double>& scores, ConstMatrixRef validation,
                                  const Reducer& reducer) {
  const std::size_t best =
      static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
  const Vector best_rows = held_out_log_prob(*fits[best], validation);
  std::size_t chosen = best;
  for (std::size_t k = 0; k < fits.size(); ++k) {
    if (k == best) continue;
    const PairedDifference difference =
        mean_difference(best_rows - held_out_log_prob(*fits[k], validation), reducer);
    const bool within_noise = difference.mean <= difference.standard_error;
    const std::size_t depth = fits[k]->layers.size();
    const std::size_t chosen_depth = fits[chosen]->layers.size();
    if (within_noise &&
        (depth < chosen_depth || (depth == chosen_depth && scores[k] > scores[chosen])))
      chosen = k;
  }
  return chosen;
}

}  // namespace rbig::detail
