#pragma once
// The model file's view of marginals: a marginal is its registered type's file id, then the
// payload its write() produced. Shared by the model file (per layer and column) and the damped
// blend (for the map it wraps).

#include <rbig/byte_codec.hpp>
#include <rbig/marginal.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace rbig::detail {

/// Writes marginal's type id and payload; throws Error if its type is not registered.
void write_marginal(ByteWriter& out, const MarginalTransform& marginal);
/// Reads one marginal written by write_marginal; throws ModelFileError naming in.path() for an
/// unknown type id or parameters its type refuses.
std::unique_ptr<MarginalTransform> read_marginal(ByteReader& in);
/// Reads `count` doubles after checking count ≥ min_count and that the bytes are there (a
/// damaged count must not allocate gigabytes); the message names `what` and the count.
std::vector<double> read_doubles(ByteReader& in, std::uint32_t count, std::uint32_t min_count,
                                 std::string_view what);

}  // namespace rbig::detail
