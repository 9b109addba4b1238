#pragma once
// The information each layer removes (Laparra et al. 2011, "Iterative Gaussianization: from ICA
// to random rotations", eq. 9; the estimate follows "Information theory measures via
// multidimensional Gaussianization", 2020). The marginal step does not change total correlation
// and an orthogonal rotation keeps joint entropy, so layer k removes exactly
//   ΔT_k = Σ_d H(y_d) − Σ_d H(z_d) + log|det R_k|,   y after the marginal step, z after R_k.
// H(y_d) is known when layer k's maps are applied (marginal_step.hpp); H(z_d) is read from the
// next layer's marginal fits (no extra pass over the data), bias-corrected by the null level,
// less the layer's PCA bias (calibration.hpp, pca_bias.hpp). So a layer's reduction is known one
// layer late.

#include <rbig/types.hpp>

#include "fit/calibration.hpp"

namespace rbig::detail {

class InformationLedger {
 public:
  InformationLedger(const InformationNoise& noise, Index dims) : noise_(noise), dims_(dims) {}

  /// The layer just fitted: its H(y_d), log|det R| and the expected Gaussian reading of its
  /// rotation on independent columns; its reduction is pending.
  void open_layer(Vector entropy_after_marginal, double log_abs_det, double rotation_bias) {
    entropy_after_marginal_ = std::move(entropy_after_marginal);
    pending_log_abs_det_ = log_abs_det;
    pending_rotation_bias_ = rotation_bias;
  }
  /// ΔT of the pending layer, given Σ_d Ĥ(z_d) from the next layer's marginal fits.
  double close_layer(double entropy_before_marginal) const {
    return entropy_after_marginal_.sum() + pending_log_abs_det_ -
           (entropy_before_marginal + static_cast<double>(dims_) * noise_.null.mean) -
           pending_rotation_bias_;
  }
  const Vector& entropy_after_marginal() const { return entropy_after_marginal_; }

 private:
  InformationNoise noise_;
  Index dims_;
  Vector entropy_after_marginal_;
  double pending_log_abs_det_ = 0.0;
  double pending_rotation_bias_ = 0.0;
};

}  // namespace rbig::detail
