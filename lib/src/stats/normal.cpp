// Φ from Boost.Math. Φ⁻¹ (AS 241) is inline in normal.hpp: see the notes there.

#include "core/math_constants.hpp"
#include "stats/normal.hpp"

#include <boost/math/special_functions/erf.hpp>

#include <cmath>

namespace rbig::detail {
namespace {

// Keep double precision inside Boost (its default promotes to long double: slower, no gain here).
using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

}  // namespace

double normal_cdf(double z) { return 0.5 * boost::math::erfc(-z / kSqrt2, Policy()); }

}  // namespace rbig::detail
