#pragma once
// The worker threads behind parallel_for (parallel.hpp). Why not OpenMP: its barrier makes every
// parallel loop wait until each thread of the team has arrived, so on a machine whose cores are
// busy with other work one descheduled thread stalls the loop for a scheduler time slice, and its
// idle threads spin (libgomp reads OMP_WAIT_POLICY before main, so a program cannot change that).
// Here the calling thread takes items too and returns as soon as every item is done: a helper
// that has not woken up yet is simply not needed. Idle helpers yield for a moment, then sleep.
// And a loop asks for no more helpers than the machine has idle cores (machine_load.hpp): on a
// machine busy with other work, a helper would only make the loop wait for its time slice.

#include <rbig/types.hpp>

#include <functional>

namespace rbig::detail {

/// Calls body(i) for every i in [0, count) on the calling thread and up to team − 1 pool
/// threads, each item once, and returns when all are done. If items throw, the exception of the
/// lowest-numbered one is rethrown. A call made while the pool is busy (from inside an item, or
/// from another thread) runs serially on its own thread.
void run_on_pool(Index count, int team, const std::function<void(Index)>& body);

}  // namespace rbig::detail
