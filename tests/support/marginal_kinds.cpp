#include "support/marginal_kinds.hpp"

#include <utility>

namespace rbig::test {

std::vector<MarginalVariant> marginal_variants(MarginalKind kind) {
  FitOptions defaults;
  defaults.marginal = kind;
  std::vector<MarginalVariant> variants{{std::string(to_string(kind)), defaults}};
  if (kind == MarginalKind::Histogram) {
    FitOptions bins = defaults;
    bins.bins = 7;  // far fewer than the rule's: wide bins and large jumps of the density
    variants.push_back({"histogram --bins 7", bins});
  }
  if (kind == MarginalKind::Kde) {
    FitOptions wide = defaults;
    wide.bandwidth = 0.5;  // in sd: several times the rule's, so the tails hold more mass
    variants.push_back({"kde --bandwidth 0.5", wide});
    FitOptions plug_in = defaults;
    plug_in.bandwidth_rule = BandwidthRule::PlugIn;
    variants.push_back({"kde --bandwidth plugin", plug_in});
  }
  return variants;
}

std::vector<MarginalVariant> all_marginal_variants() {
  std::vector<MarginalVariant> all;
  for (MarginalKind kind : kMarginalKinds) {
    for (MarginalVariant& variant : marginal_variants(kind)) all.push_back(std::move(variant));
  }
  return all;
}

std::unique_ptr<detail::MarginalFromMoments> fitted_marginal(const FitOptions& options,
                                                             ConstVectorRef x) {
  std::unique_ptr<detail::MarginalFromMoments> marginal =
      detail::make_marginal_from_moments(options.marginal.value(), options);
  marginal->fit(x);
  return marginal;
}

std::unique_ptr<detail::MarginalFromMoments> fitted_marginal(MarginalKind kind, ConstVectorRef x) {
  FitOptions options;
  options.marginal = kind;
  return fitted_marginal(options, x);
}

}  // namespace rbig::test
