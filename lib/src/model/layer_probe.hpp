#pragma once
// The check a loaded layer must pass before anyone uses it (model_file.cpp).

#include <rbig/layer.hpp>

#include <cstddef>
#include <string>

namespace rbig::detail {

/// Throws ModelFileError (naming `path` and layer `number`) unless the layer maps latent points
/// between −8 and 8 back and forth to finite values, and maps the same points taken as data to
/// latent values whose squared norm (the Gaussian's exponent) is finite.
void probe_layer(const Layer& layer, std::size_t number, const std::string& path);

}  // namespace rbig::detail
