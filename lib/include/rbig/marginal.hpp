#pragma once
/// One fitted 1-D Gaussianizing map z = Φ⁻¹(F(x)), with F a CDF fitted to a sample.
///
/// Contract of every implementation (checked for each kind by tests/support/invariants):
///  - forward is strictly increasing and maps every finite x to a finite z, also far outside the
///    fitted data (the tail model); inverse(forward(x)) == x up to rounding;
///  - log_derivative(x) = log(dz/dx), finite for every finite x, the exact derivative of forward;
///  - NaN in gives NaN out (forward, log_derivative, inverse), never a number or undefined
///    behaviour: the model's finiteness check then reports a damaged model's overflow;
///  - input and output of forward / inverse / log_derivative may be the same vector (the map is
///    element-wise), so layers can work in place;
///  - write() stores what the reader registered under type_name() needs to rebuild the same map
///    bit for bit (registry.hpp).

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <memory>
#include <string_view>

namespace rbig {

class ByteWriter;

class MarginalTransform {
 public:
  virtual ~MarginalTransform() = default;
  /// The registered type name ("histogram", "kde", …, or a user type's), stored in model files.
  virtual std::string_view type_name() const = 0;
  virtual std::unique_ptr<MarginalTransform> clone() const = 0;

  /// Fits F to the sample x (at least 2 distinct finite values; throws NumericalError otherwise).
  virtual void fit(ConstVectorRef x) = 0;

  virtual void forward(ConstVectorRef x, VectorRef z) const = 0;
  virtual void inverse(ConstVectorRef z, VectorRef x) const = 0;
  virtual void log_derivative(ConstVectorRef x, VectorRef out) const = 0;  // log|dz/dx|
  /// forward and log_derivative in one pass (z may alias x; log_derivative may not).
  virtual void forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                           VectorRef log_derivative) const = 0;

  /// Appends the fitted parameters (not the type, which the model file writes before them).
  virtual void write(ByteWriter& out) const = 0;
};

/// A new, unfitted marginal transform of the requested kind.
std::unique_ptr<MarginalTransform> make_marginal(MarginalKind kind, const FitOptions& options);

}  // namespace rbig
