#pragma once
/// Ctrl-C during a computation that runs without the GIL (a long fit, a bootstrap).
///
/// Python's SIGINT handler only sets a flag; the KeyboardInterrupt is raised when the interpreter
/// next runs its signal handlers, which it cannot do while C++ holds the thread. poll() takes the
/// GIL briefly and runs them (PyErr_CheckSignals); when one raises, the error is kept, poll()
/// returns false (the fit's observer then stops the fit), and raise_if_interrupted() raises it
/// once the computation has returned. Only the main thread runs signal handlers: elsewhere poll()
/// always returns true.

#include <rbig/model.hpp>

#include <pybind11/pybind11.h>

#include <chrono>
#include <optional>

namespace rbig::python {

namespace py = pybind11;

/// Thrown through a library loop (bootstrap) to leave it after poll() returned false.
struct Interrupted {};

class SignalPoll {
 public:
  /// Call without the GIL. True to go on; false once a signal handler raised an exception.
  /// Takes the GIL at most every kInterval, so that fits of many fast layers do not queue for
  /// it behind other Python threads.
  bool poll();
  /// An observer for Model::fit that polls after each layer.
  FitObserver observer();
  /// With the GIL held: raises the kept exception (throws py::error_already_set), if any.
  void raise_if_interrupted();

 private:
  static constexpr std::chrono::milliseconds kInterval{50};
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::optional<py::error_already_set> error_;
};

}  // namespace rbig::python
