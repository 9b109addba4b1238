#pragma once
/// Cooperative cancellation of long library calls: fits, log_prob / transform / inverse / sample,
/// bootstrap intervals, the information measures, model loading and file output.
///
/// One process-wide flag. request_cancel() only stores to a lock-free atomic, so a signal handler
/// may call it (the rbig command does, on SIGINT and SIGTERM). Every long loop checks the flag
/// between small pieces of work (blocks of rows, columns, layers, resamples, chunks of output)
/// and throws rbig::Cancelled; an output file being written is then abandoned (the old file
/// stays). The flag stays set until clear_cancel(): every call running in the process stops.
///
///   std::signal(SIGINT, [](int) { rbig::request_cancel(); });
///   try { model.sample(n, seed); } catch (const rbig::Cancelled&) { /* stopped early */ }

#include <exception>

namespace rbig {

/// Thrown by a library call that saw request_cancel(). Not an rbig::Error: nothing is wrong with
/// the input, and code that handles bad data must not swallow it.
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "cancelled"; }
};

/// Asks every running and future library call to stop at its next check. Async-signal-safe.
void request_cancel() noexcept;
/// True once request_cancel() was called (and clear_cancel() not since).
bool cancel_requested() noexcept;
/// Lets library calls run again.
void clear_cancel() noexcept;
/// Throws Cancelled if cancellation was requested: the check the long loops make.
void throw_if_cancelled();

}  // namespace rbig
