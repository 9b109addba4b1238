// dequantize.hpp: uniform noise of one quantisation step for tied (integer-valued) CSV data.
#include <rbig/dequantize.hpp>
#include <rbig/error.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <vector>

using rbig::InputError;

TEST_CASE("dequantize: the step is the smallest positive gap between distinct values") {
  rbig::Matrix x(6, 4);
  x.col(0) << 1, 3, 3, 2, 1, 5;             // integers: step 1
  x.col(1) << 0.5, 0.5, 0.75, 2.0, 0.5, 1;  // step 0.25
  x.col(2) << 7, 7, 7, 7, 7, 7;             // one value: step 0
  x.col(3) << -1e300, 1e300, 0, 0, 0, 0;    // extreme magnitudes: step 1e300
  const rbig::Vector steps = rbig::quantization_steps(x);
  CHECK(steps(0) == 1.0);
  CHECK(steps(1) == 0.25);
  CHECK(steps(2) == 0.0);
  CHECK(steps(3) == 1e300);
}

TEST_CASE("dequantize: noise stays within half a step, ties are broken, the seed decides") {
  rbig::Matrix x(1000, 3);
  for (rbig::Index r = 0; r < x.rows(); ++r) {
    x(r, 0) = static_cast<double>(r % 5);        // heavily tied integers
    x(r, 1) = 0.1 * static_cast<double>(r % 7);  // a decimal grid
    x(r, 2) = 42.0;                              // constant: left alone
  }
  const rbig::Vector steps = rbig::quantization_steps(x);
  const rbig::Matrix a = rbig::dequantize(x, 7);
  const rbig::Matrix b = rbig::dequantize(x, 7);
  const rbig::Matrix c = rbig::dequantize(x, 8);
  CHECK(a == b);  // bit for bit: our own uniform draws, not std::uniform_real_distribution
  CHECK(a != c);
  CHECK(a.col(2) == x.col(2));
  for (rbig::Index col = 0; col < 2; ++col) {
    const double half = steps(col) / 2;
    CHECK(((a.col(col) - x.col(col)).array().abs() < half).all());
    // Every value is now distinct: no ties left for the marginal estimators.
    std::vector<double> values(a.col(col).data(), a.col(col).data() + a.rows());
    std::sort(values.begin(), values.end());
    CHECK(std::adjacent_find(values.begin(), values.end()) == values.end());
  }
  // A column's noise does not depend on the other columns.
  const rbig::Matrix first = rbig::dequantize(x.leftCols(1), 7);
  CHECK(first.col(0) == a.col(0));
}

TEST_CASE("dequantize: non-finite input is an InputError, values next to max stay finite") {
  rbig::Matrix x(2, 1);
  x << 1.0, std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(rbig::dequantize(x, 1), InputError);
  rbig::Matrix big(3, 1);
  big << 0.0, std::numeric_limits<double>::max(), std::numeric_limits<double>::max();
  CHECK(rbig::dequantize(big, 1).allFinite());
}
