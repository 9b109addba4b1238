#pragma once
// The mathematical constants the library uses, written once, to double precision.

namespace rbig::detail {

inline constexpr double kTwoPi = 6.28318530717958647693;       // 2π
inline constexpr double kHalfPi = 1.5707963267948966;          // π/2
inline constexpr double kTwoPiE = 17.079468445347134;          // 2πe
inline constexpr double kSqrt2 = 1.41421356237309504880;       // √2
inline constexpr double kSqrtPi = 1.7724538509055160;          // √π
inline constexpr double kInvSqrt2Pi = 0.3989422804014327;      // 1/√(2π)
inline constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // log √(2π)

}  // namespace rbig::detail
