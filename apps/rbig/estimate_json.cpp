// The fits behind an information estimate, in JSON (estimate_json.hpp).

#include "estimate_json.hpp"

#include <cstddef>

namespace rbig::cli {

void add_estimate_json(nlohmann::json& object, const InfoEstimate& estimate, double scale) {
  nlohmann::json fits = nlohmann::json::array();
  std::size_t layers = 0;
  for (const EstimateFit& fit : estimate.fits) {
    const FitReport& report = fit.report;
    nlohmann::json info_reduction = nlohmann::json::array();
    for (const LayerReport& layer : report.layers)
      info_reduction.push_back(layer.info_reduction * scale);
    layers += report.layers.size();
    fits.push_back({{"role", fit.role},
                    {"weight", fit.weight},
                    {"n", report.n_samples},
                    {"dims", fit.dims},
                    {"layers", report.layers.size()},
                    {"radial_layers", fit.radial_layers},
                    {"stop", to_string(report.stop)},
                    {"stop_message", report.message},
                    {"total_correlation", report.total_correlation * scale},
                    {"info_reduction", info_reduction}});
  }
  object["layers"] = layers;
  object["other_terms"] = estimate.other * scale;
  object["fits"] = fits;
}

}  // namespace rbig::cli
