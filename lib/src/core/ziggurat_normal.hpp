#pragma once
// Many standard normal draws at a few nanoseconds each: the ziggurat method of Marsaglia & Tsang
// (J. Stat. Softw. 5(8), 2000) with 256 layers and 52-bit uniforms, as in Doornik (2005). One
// 64-bit draw gives the layer and the abscissa; ~1.2 % of draws need a second test, a few per
// million the exact tail beyond R = 3.654. For bulk Gaussian samples whose values are not part of
// a model (the fit's calibration replicates); Rng::normal (Box–Muller) keeps the draws stored or
// written elsewhere.

#include "core/rng.hpp"

#include <cstdint>

namespace rbig::detail {

class ZigguratNormal {
 public:
  explicit ZigguratNormal(std::uint64_t seed) : rng_(seed) {}
  /// Fills out[0 .. n) with independent standard normal values.
  void fill(double* out, std::int64_t n);

 private:
  double draw();
  double tail(bool negative);

  Rng rng_;  // its raw bits and its uniforms: the same stream a seed gives Rng elsewhere
};

}  // namespace rbig::detail
