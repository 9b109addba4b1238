#pragma once
/// The process-wide meaning of "all cores" (a thread count of 0 in FitOptions::threads and
/// Model::set_threads). Thread counts never change a result, only the speed.
///
///   rbig::set_default_threads(2);  // fits and models asked for 0 threads now use 2

namespace rbig {

/// Cores this process may run on (its CPU affinity), at least 1. Every thread count is capped
/// at this.
int available_cores();

/// Makes a requested count of 0 mean `threads` (capped at available_cores()); 0 restores all
/// cores. Throws OptionError for a negative count. Not meant to race with running computations.
void set_default_threads(int threads);

/// What a requested count of 0 means now: available_cores() unless set_default_threads set less.
int default_threads();

}  // namespace rbig
