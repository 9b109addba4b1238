#pragma once
// The element-wise loops of a marginal whose map is defined one value at a time: Derived provides
// `map(x, with_log_derivative)` (returning .z and, if asked, .log_derivative) and `unmap(z)`; this
// supplies the four vector calls of MarginalTransform, reading each input before writing its output
// so z may alias x. Its fit starts from the column moments (MarginalFromMoments), as kde and spline
// do.

#include "marginal/marginal_from_moments.hpp"

namespace rbig::detail {

template <typename Derived>
class PointwiseMarginal : public MarginalFromMoments {
 public:
  void forward(ConstVectorRef x, VectorRef z) const override {
    for (Index i = 0; i < x.size(); ++i) z[i] = self().map(x[i], false).z;
  }
  void inverse(ConstVectorRef z, VectorRef x) const override {
    for (Index i = 0; i < z.size(); ++i) x[i] = self().unmap(z[i]);
  }
  void log_derivative(ConstVectorRef x, VectorRef out) const override {
    for (Index i = 0; i < x.size(); ++i) out[i] = self().map(x[i]).log_derivative;
  }
  void forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                   VectorRef log_derivative) const override {
    for (Index i = 0; i < x.size(); ++i) {
      const auto point = self().map(x[i]);
      z[i] = point.z;
      log_derivative[i] = point.log_derivative;
    }
  }

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }
};

}  // namespace rbig::detail
