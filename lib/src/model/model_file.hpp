#pragma once
// The model file reader on bytes already in memory: Model::load reads the file and calls this; the
// model fuzzer (fuzz/model_fuzzer.cpp) calls it directly.

#include <rbig/model.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace rbig::detail {

/// The format version Model::save writes for a model of marginal layers only (the layout is
/// documented in model_file.cpp); a model with radial layers is written as
/// kModelFormatVersionRadial, one with tree layers as kModelFormatVersionTree, one with a mixture
/// layer as kModelFormatVersionMixture, one with coupling layers as kModelFormatVersionCoupling.
inline constexpr std::uint32_t kModelFormatVersion = 5;
inline constexpr std::uint32_t kModelFormatVersionRadial = 6;
inline constexpr std::uint32_t kModelFormatVersionTree = 7;
inline constexpr std::uint32_t kModelFormatVersionMixture = 8;
inline constexpr std::uint32_t kModelFormatVersionCoupling = rbig::kModelFormatVersion;

/// Parses a whole model file; name stands for the file in messages. Throws ModelFileError.
Model read_model_file(std::string_view bytes, const std::string& name);

}  // namespace rbig::detail
