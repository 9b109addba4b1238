#pragma once
// Screening, the first round of the default fit's model selection (model_selection.cpp): with
// many training rows every candidate is fitted on a seeded random subsample of them, and only
// the best few are fitted on all of them. The subsample ranks the candidates well enough to find
// the winner among the two best (bench/README.md, "Screening") at a fraction of the cost.

#include <rbig/types.hpp>

#include "fit/reducer.hpp"
#include "fit/work_buffer.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rbig::detail {

/// Candidates fitted on every training row after the screening.
inline constexpr std::size_t kFinalists = 2;
/// Rows each screened candidate sees, at least (in expectation).
inline constexpr Index kScreeningRows = 4000;

/// The share of `training_rows` (all participants') the candidates are screened on: a quarter,
/// at least kScreeningRows rows; 1 (no screening) when that would be more than half of them.
double screening_fraction(Index training_rows);

/// The rows of x (this participant's training rows; index: each one's index among all rows of
/// all participants) that belong to the screening subsample: each row independently with
/// probability `fraction`, decided by a hash of the seed and its index alone, so that the
/// subsample is the same however the rows are split among participants.
/// work_file: where the subsample is kept (work_buffer.hpp).
WorkBuffer screening_subsample(ConstMatrixRef x, const std::vector<Index>& index, double fraction,
                               std::uint64_t seed, const std::string& work_file = {});

}  // namespace rbig::detail
