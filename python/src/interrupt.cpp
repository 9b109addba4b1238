#include "interrupt.hpp"

namespace rbig::python {

bool SignalPoll::poll() {
  if (error_) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < kInterval) return true;
  last_ = now;
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() == 0) return true;
  error_.emplace();  // fetches (and clears) the pending exception
  return false;
}

FitObserver SignalPoll::observer() {
  return [this](const LayerReport&) { return poll(); };
}

void SignalPoll::raise_if_interrupted() {
  if (error_) throw *error_;
}

}  // namespace rbig::python
