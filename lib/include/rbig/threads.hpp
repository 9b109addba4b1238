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

/// On (the default), a parallel loop takes only as many threads as the machine has cores not
/// busy with other work (Linux: the runnable threads in /proc/loadavg, looked at every
/// millisecond), so that more threads never make a loop slower on a busy machine; off, it
/// always takes the count asked for. Where /proc/loadavg counts more than this machine (a
/// container sharing a larger host's kernel), the host's load decides: turn it off there.
/// Never changes a result.
void set_load_aware_threads(bool on);

/// Whether set_load_aware_threads is on.
bool load_aware_threads();

}  // namespace rbig
