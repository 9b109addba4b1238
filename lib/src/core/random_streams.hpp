#pragma once
// Every random stream the library derives from a user's seed, in one place, so that no two
// purposes share draws: derive_seed(seed, stream) (rng.hpp) with these ids. Layer k of a fit
// uses stream k itself (its rotation seed); layer counts are capped at 100,000 (options.cpp),
// far below the first named stream.

#include <cstdint>

namespace rbig::detail {

enum class RandomStream : std::uint64_t {
  FitCalibration = 1'000'000,      // + replicate: Gaussian samples that calibrate the fit's rule
  ValidationSplit = 2'000'000,     // which rows a fit holds out
  Bootstrap = 3'000'000,           // + replicate: the rows of each bootstrap resample
  InfoCalibration = 4'000'000,     // the information measures' marginal-entropy bias replicates
  InfoUnmixing = 5'000'000,        // the ICA unmixing of the entropy estimate
  InfoScores = 6'000'000,          // + column: the Gaussian scores that replace a column's ranks
  ScreeningSubsample = 7'000'000,  // the training rows model selection compares candidates on
  FitNullLayers = 8'000'000,       // the Gaussian sample whose layer readings set a fit's floor
  MixtureSeeding = 9'000'000,      // + components: the k-means++ seeding of a mixture layer's EM
};

/// The stream id `offset` places after `stream` (replicates of one purpose).
inline std::uint64_t stream_id(RandomStream stream, std::uint64_t offset = 0) {
  return static_cast<std::uint64_t>(stream) + offset;
}

}  // namespace rbig::detail
