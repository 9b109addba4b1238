#pragma once
// The model fuzzer's semantic mode: instead of flipping bytes (which the CRC-32 or the first
// size check usually rejects), it changes the values of a valid model's stored parameters —
// widths, supports, knots, densities, rotation entries, options — to values chosen to break
// them (0, denormals, ±1e308, ±DBL_MAX, inf, NaN, scaled or sign-flipped originals) and
// re-encodes the file with a valid header and checksum, so every input exercises the loader's
// checks after the checksum and the evaluation of what it accepts.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rbig::fuzz {

/// Byte offsets (in the payload) of the 8-byte fields that decode to parameter-like doubles:
/// finite, 0 or of magnitude in [1e-40, 1e40], taken left to right without overlap. The format has
/// no self-description, so this is a heuristic: on rbig's own files it finds the stored doubles
/// (integer fields decode to denormals or NaN-like bit patterns and are skipped).
std::vector<std::size_t> parameter_offsets(std::string_view payload);

/// The replacement a mutation (`op`, `extra` from the fuzzer's input) gives to `value`.
double mutated_value(double value, std::uint8_t op, std::uint8_t extra);

/// The payload of the base model `index` (modulo their number): small fitted 2-D models of every
/// marginal kind and rotation, damped and not, encoded by Model::to_bytes (header and CRC cut).
const std::string& base_payload(std::size_t index);

/// A whole model file: base model data[0], then 3-byte mutations (field index, op, extra) applied
/// to its parameters, wrapped in a valid header and CRC-32.
std::string semantic_model_file(const std::uint8_t* data, std::size_t size);

/// payload wrapped in the header of the current format version and a valid CRC-32.
std::string wrap_payload(std::string_view payload);

}  // namespace rbig::fuzz
