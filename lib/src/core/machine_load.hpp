#pragma once
// How busy the machine is right now, for the thread pool's choice of helpers (thread_pool.cpp).
// A pool helper only speeds a loop up if a core is idle for it: on a machine whose cores are all
// taken by other work, the helper waits for a time slice, and the loop waits for the helper's
// item (issue 16: 2 threads took 1.25× the time of 1 beside two busy loops on 2 cores).

#include <string_view>

namespace rbig::detail {

/// The machine's runnable threads now, the caller included (Linux: /proc/loadavg's fourth field,
/// "runnable/total"), or -1 where that is unknown.
int runnable_threads();

/// The number before the '/' in /proc/loadavg's fourth field; -1 if `loadavg` has no such field.
int parse_runnable_threads(std::string_view loadavg);

/// The machine's online cores (not only those this process may use: /proc/loadavg counts the
/// threads of the whole machine).
int online_cores();

/// How many of `wanted` helpers get a core nobody else wants: the online cores less the runnable
/// threads that are not ours (`runnable` counts the caller and our `own_awake` helpers), at
/// least 0. With `runnable` unknown (< 0), all of them.
int helpers_with_idle_cores(int wanted, int online, int runnable, int own_awake);

}  // namespace rbig::detail
