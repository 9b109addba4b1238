#include <rbig/cancel.hpp>

#include <atomic>

namespace rbig {
namespace {

// Lock-free, so that storing to it from a signal handler is safe.
std::atomic<bool> g_cancel_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "request_cancel must be signal-safe");

}  // namespace

void request_cancel() noexcept { g_cancel_requested.store(true, std::memory_order_relaxed); }

bool cancel_requested() noexcept { return g_cancel_requested.load(std::memory_order_relaxed); }

void clear_cancel() noexcept { g_cancel_requested.store(false, std::memory_order_relaxed); }

void throw_if_cancelled() {
  if (cancel_requested()) throw Cancelled();
}

}  // namespace rbig
