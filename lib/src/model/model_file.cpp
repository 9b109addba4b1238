// The model file format, version 9 (written only for models with coupling layers or fitted with
// FitOptions::coupling), version 8 (models with a mixture layer, or whose
// options say mixture: files of older --mixture fits that did not keep one), version 7 (models with
// tree layers or fitted with FitOptions::tree), version 6 (models with radial layers or fitted with
// FitOptions::radial) and version 5 (any other model, byte for byte what rbig wrote before radial
// layers existed). Version 9 adds the u8 coupling option after the mixture option and layer kind
// 4 (coupling layer: the per-dimension marginals as in a marginal layer, then the coupling map,
// then the rotation). Version 8 adds the u8 mixture option after the tree option and layer kind 3
// (mixture layer: the mixture's parameters replace the per-dimension marginals). Version 7 adds the
// u8 tree option after the radial option and layer kind 2 (tree layer: the per-dimension marginals
// as in a marginal layer, then the tree, then the rotation). Version 6 adds the u8 radial option
// after the seed and a u8 layer kind before each layer (0: marginal layer as in version 5, 1:
// radial layer, whose radial map replaces the per-dimension marginals). Version 4 has the same
// layout, but its kde marginals are read with the tails they were fitted with (KdeTails::MeanSlope:
// version 5 bounds the slope beyond the grid by the estimate's spread too, marginal_kde.cpp).
// Version 3 also lacks the kde bandwidth rule byte and is read as if it said "not set" (its maps
// are those of version 4). Versions 1 and 2 had the layout of version 3 (version 1 without the
// rotation storage byte and the kde bandwidth) but maps with a purely logarithmic tail beyond the
// support (LinearLogTail in marginal/tail_model.hpp): the same stored parameters now give another
// density, so those files are refused with a request to refit rather than read as a different
// model. All integers and doubles little-endian; doubles are stored as their IEEE-754 bits, so
// load(save(m)) reproduces every computation bit for bit. No timestamps or timings: the same model
// gives the same bytes.
//
//   header   magic "RBIGMODL" (8 bytes) | u32 format version | u64 payload size in bytes
//   payload  u64 dims | u64 layers
//            options: u8 marginal | u8 rotation | i32 max_layers | f64 tol | i32 patience |
//                     u8 gaussian fallback | f64 damping | i32 layers (0 = not set) | f64
//                     validation | i32 validation patience | i32 bins (0 = automatic) | f64 kde
//                     bandwidth (0 = by the rule) | u8 kde bandwidth rule (255 = not set; absent in
//                     version 3) | u64 seed | u8 radial (versions 6–9) | u8 tree (versions 7–9) |
//                     u8 mixture (versions 8, 9) | u8 coupling (version 9)
//            report:  u8 stop | string message | u64 samples | f64 total correlation |
//                     per layer: f64 information reduction | u8 has validation | f64 validation
//                     mean log-likelihood (0 when absent)
//            layers:  u8 layer kind (versions 6–9: 0 marginal, 1 radial, 2 tree (versions 7–9),
//                     3 mixture (versions 8, 9), 4 coupling (version 9)),
//                     for a mixture layer: u32 components K | K × f64 weight | K × dims × f64
//                       means (row by row) | K × dims² × f64 covariance (column-major), then the
//                       rotation;
//                     for a tree layer: the marginals as below, then u32 node count | per node:
//                       i32 split dimension (−1: leaf) | f64 threshold | f64 output threshold |
//                       i32 left child | i32 right child (tree.hpp; −1 and 0 for a leaf)
//                     then the rotation; for a coupling layer: the marginals as below, then
//                       u32 knots K | f64 range | u32 pair count | per pair: i32 target |
//                       i32 conditioner | K × f64 shift | K × f64 log-scale (coupling.hpp),
//                     then the rotation; for a radial
//                     layer: dims × f64 centre | dims × f64 scale | the log-radius marginal
//                     (u8 type id and payload as below); for a marginal layer:
//                     per dimension: u8 marginal type id (registry.hpp: histogram 0,
//                       gaussian 1, kde 2, spline 3, damped 255, user types their own), then
//                       the payload that type's write() documents beside it
//                     u8 rotation kind | u8 storage, then
//                       0 (matrix): dims² × f64 rotation matrix, column-major
//                       1 (seed, random rotations only, dims ≤ 1024): u64 seed, regenerated
//                         by Rotation::random on load (O(L) bytes instead of O(L·D²); the
//                         Box–Muller draws use std::log/sin/cos, so another libm may differ in
//                         the last bits of the regenerated matrix)
//   trailer  u32 CRC-32 of header and payload
// Strings are u32 length + bytes. Readers refuse other versions, wrong sizes and bad checksums.

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include <rbig/model.hpp>

#include "model/layer_probe.hpp"
#include "model/model_file.hpp"

#include <rbig/registry.hpp>

#include <rbig/byte_codec.hpp>

#include "marginal/marginal_registry.hpp"
#include "rotation/rotation_registry.hpp"

#include <boost/crc.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace rbig {
namespace {

constexpr std::string_view kMagic = "RBIGMODL";
constexpr std::uint32_t kFormatVersion = detail::kModelFormatVersionCoupling;  // older: see the top
constexpr std::uint32_t kVersionMixture = detail::kModelFormatVersionMixture;  // written too
constexpr std::uint32_t kVersionTree = detail::kModelFormatVersionTree;        // written too
constexpr std::uint32_t kVersionRadial = detail::kModelFormatVersionRadial;    // written too
constexpr std::uint32_t kVersionWithoutRadial = detail::kModelFormatVersion;   // written too
constexpr std::uint8_t kMarginalLayer = 0;
constexpr std::uint8_t kRadialLayer = 1;
constexpr std::uint8_t kTreeLayer = 2;
constexpr std::uint8_t kMixtureLayer = 3;
constexpr std::uint8_t kCouplingLayer = 4;
/// Knots and pairs a stored coupling map may have (a fit uses 17 knots and at most D/2 pairs).
constexpr std::uint32_t kMaxCouplingKnots = 4096;
/// Components a stored mixture may have (a fit tries at most kMaxMixtureComponents, mixture_step).
constexpr std::uint32_t kMaxStoredComponents = 1u << 12;
/// Nodes a stored tree may have (a fit grows at most 2·max_leaves − 1).
constexpr std::uint32_t kMaxTreeNodes = 1u << 20;
constexpr std::uint32_t kVersionWithoutRule = 3;  // read too: the maps of version 4
static_assert(kVersionWithoutRule == kOldestReadableModelFormatVersion);
constexpr std::uint32_t kVersionMeanSlopeTails = 4;  // read too: kde tails as fitted then
constexpr std::uint8_t kRuleNotSet = 255;            // the kde bandwidth rule byte
constexpr std::uint8_t kRotationAsMatrix = 0;
constexpr std::uint8_t kRotationAsSeed = 1;
// A seed regenerates a D×D matrix by an O(D³) QR decomposition: 8 bytes must not be able to ask for
// minutes of work and gigabytes. Up to this D (8 MB, about a second per layer on a loaded 2-core
// machine; 2,048 took 14 s) rotations are stored as seeds; beyond it as matrices, whose size the
// file itself then bounds. Files of rbig versions that stored seeds up to 8,192 dimensions are
// refused beyond this bound with a request to refit.
constexpr Index kMaxSeedDims = 1024;
constexpr std::size_t kHeaderSize = 8 + 4 + 8;
constexpr std::size_t kTrailerSize = 4;
constexpr std::uint64_t kMaxDims = 1u << 20;
constexpr std::uint64_t kMaxLayers = 1u << 20;
// Larger payloads are refused before they are read (a model of 1,000 layers at D = 1,000 stored
// as matrices is 8 GB; a seeded one far less).
constexpr std::uint64_t kMaxFileBytes = std::uint64_t{1} << 36;

std::uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

Rotation read_rotation(ByteReader& in, Index dims, std::uint64_t layer) {
  const std::string& path = in.path();
  const auto kind = in.get<std::uint8_t>();
  if (kind >= detail::rotation_types().size()) {
    throw ModelFileError(
        fmt::format("{}: layer {}: unknown rotation kind {}", path, layer, int{kind}));
  }
  const auto storage = in.get<std::uint8_t>();
  if (storage == kRotationAsSeed) {
    if (kind != static_cast<std::uint8_t>(RotationKind::Random)) {
      throw ModelFileError(
          fmt::format("{}: layer {}: only a random rotation can be stored as a "
                      "seed (kind {})",
                      path, layer, int{kind}));
    }
    if (dims > kMaxSeedDims) {
      throw ModelFileError(
          fmt::format("{}: layer {}: a {}-dimensional rotation stored as a seed "
                      "(this rbig reads and writes seeds only up to {} dimensions, above which "
                      "rebuilding takes too long; refit to store the matrix)",
                      path, layer, dims, kMaxSeedDims));
    }
    return Rotation::random(dims, in.get<std::uint64_t>());
  }
  if (storage != kRotationAsMatrix) {
    throw ModelFileError(
        fmt::format("{}: layer {}: unknown rotation storage {}", path, layer, int{storage}));
  }
  // Checked before allocating: a damaged size must not ask for terabytes.
  const auto d = static_cast<std::uint64_t>(dims);
  if (d * d > in.remaining() / sizeof(double)) {
    throw ModelFileError(fmt::format("{}: layer {}: truncated ({} bytes left for a {}x{} rotation)",
                                     path, layer, in.remaining(), dims, dims));
  }
  Matrix r(dims, dims);
  for (Index i = 0; i < r.size(); ++i) r.data()[i] = in.get<double>();
  try {
    return Rotation::from_matrix(static_cast<RotationKind>(kind), std::move(r));
  } catch (const NumericalError& e) {
    throw ModelFileError(fmt::format("{}: layer {}: {}", path, layer, e.what()));
  }
}

void write_options(ByteWriter& out, const FitOptions& options, std::uint32_t out_version) {
  out.put(static_cast<std::uint8_t>(*options.marginal));  // set: the Model constructor checks
  out.put(static_cast<std::uint8_t>(options.rotation));
  out.put(static_cast<std::int32_t>(options.max_layers));
  out.put(options.tol);
  out.put(static_cast<std::int32_t>(options.patience));
  out.put(static_cast<std::uint8_t>(options.gaussian_fallback));
  out.put(*options.damping);
  out.put(static_cast<std::int32_t>(options.layers.value_or(0)));
  out.put(options.validation);
  out.put(static_cast<std::int32_t>(options.validation_patience));
  out.put(static_cast<std::int32_t>(options.bins.value_or(0)));
  out.put(options.bandwidth.value_or(0.0));
  out.put(options.bandwidth_rule ? static_cast<std::uint8_t>(*options.bandwidth_rule)
                                 : kRuleNotSet);
  out.put(options.seed);
  if (out_version >= kVersionRadial) out.put(static_cast<std::uint8_t>(options.radial));
  if (out_version >= kVersionTree) out.put(static_cast<std::uint8_t>(options.tree));
  if (out_version >= kVersionMixture)
    out.put(static_cast<std::uint8_t>(options.mixture.value_or(false)));
  if (out_version >= kFormatVersion)
    out.put(static_cast<std::uint8_t>(options.coupling.value_or(false)));
}

FitOptions read_options(ByteReader& in) {
  const std::string& path = in.path();
  FitOptions options;
  const auto marginal = in.get<std::uint8_t>();
  const auto rotation = in.get<std::uint8_t>();
  if (marginal >= marginal_kind_names().size() || rotation >= detail::rotation_types().size()) {
    throw ModelFileError(fmt::format("{}: unknown marginal ({}) or rotation ({}) kind", path,
                                     int{marginal}, int{rotation}));
  }
  options.marginal = static_cast<MarginalKind>(marginal);
  options.rotation = static_cast<RotationKind>(rotation);
  options.max_layers = in.get<std::int32_t>();
  options.tol = in.get<double>();
  options.patience = in.get<std::int32_t>();
  options.gaussian_fallback = in.get<std::uint8_t>() != 0;
  options.damping = in.get<double>();
  if (const auto layers = in.get<std::int32_t>(); layers != 0) options.layers = layers;
  options.validation = in.get<double>();
  options.validation_patience = in.get<std::int32_t>();
  if (const auto bins = in.get<std::int32_t>(); bins != 0) options.bins = bins;
  if (const auto bandwidth = in.get<double>(); bandwidth != 0.0) options.bandwidth = bandwidth;
  if (in.format_version() != kVersionWithoutRule) {
    const auto rule = in.get<std::uint8_t>();
    if (rule != kRuleNotSet && rule > static_cast<std::uint8_t>(BandwidthRule::Annealed)) {
      throw ModelFileError(fmt::format("{}: unknown kde bandwidth rule ({})", path, int{rule}));
    }
    if (rule != kRuleNotSet) options.bandwidth_rule = static_cast<BandwidthRule>(rule);
  }
  options.seed = in.get<std::uint64_t>();
  if (in.format_version() >= kVersionRadial) {
    const auto radial = in.get<std::uint8_t>();
    if (radial > 1)
      throw ModelFileError(fmt::format("{}: radial option byte {}", path, int{radial}));
    options.radial = radial != 0;
  }
  if (in.format_version() >= kVersionTree) {
    const auto tree = in.get<std::uint8_t>();
    if (tree > 1) throw ModelFileError(fmt::format("{}: tree option byte {}", path, int{tree}));
    options.tree = tree != 0;
  }
  if (in.format_version() >= kVersionMixture) {
    const auto mixture = in.get<std::uint8_t>();
    if (mixture > 1)
      throw ModelFileError(fmt::format("{}: mixture option byte {}", path, int{mixture}));
    options.mixture = mixture != 0;
  } else {
    options.mixture = false;  // no mixture layer before version 8
  }
  if (in.format_version() >= kFormatVersion) {
    const auto coupling = in.get<std::uint8_t>();
    if (coupling > 1)
      throw ModelFileError(fmt::format("{}: coupling option byte {}", path, int{coupling}));
    options.coupling = coupling != 0;
  } else {
    options.coupling = false;  // no coupling layer before version 9
  }
  // The options are reported by `rbig info` and reused by callers: the same rules as for a fit.
  try {
    options.validate();
  } catch (const OptionError& e) {
    throw ModelFileError(fmt::format("{}: invalid fit options: {}", path, e.what()));
  }
  return options;
}

void write_report(ByteWriter& out, const FitReport& report) {
  out.put(static_cast<std::uint8_t>(report.stop));
  out.put_string(report.message);
  out.put(static_cast<std::uint64_t>(report.n_samples));
  out.put(report.total_correlation);
  for (const LayerReport& layer : report.layers) {
    out.put(layer.info_reduction);
    out.put(static_cast<std::uint8_t>(layer.validation_log_prob.has_value()));
    out.put(layer.validation_log_prob.value_or(0.0));
  }
}

FitReport read_report(ByteReader& in, std::uint64_t layer_count) {
  FitReport report;
  const auto stop = in.get<std::uint8_t>();
  if (stop > static_cast<std::uint8_t>(FitReport::Stop::Validation)) {
    throw ModelFileError(fmt::format("{}: unknown stop reason {}", in.path(), int{stop}));
  }
  report.stop = static_cast<FitReport::Stop>(stop);
  report.message = in.get_string();
  const auto samples = in.get<std::uint64_t>();
  if (samples > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw ModelFileError(fmt::format("{}: implausible row count {}", in.path(), samples));
  }
  report.n_samples = static_cast<Index>(samples);
  report.total_correlation = in.get<double>();
  if (!std::isfinite(report.total_correlation)) {
    throw ModelFileError(fmt::format("{}: total correlation is not finite", in.path()));
  }
  for (std::uint64_t k = 0; k < layer_count; ++k) {
    LayerReport layer{static_cast<int>(k + 1), in.get<double>(), 0.0, {}};
    const bool has_validation = in.get<std::uint8_t>() != 0;
    const auto validation_log_prob = in.get<double>();
    if (has_validation) layer.validation_log_prob = validation_log_prob;
    report.layers.push_back(layer);
  }
  return report;
}

void write_rotation(ByteWriter& out, const Rotation& rotation) {
  out.put(static_cast<std::uint8_t>(rotation.kind()));
  if (rotation.seed() && rotation.dims() <= kMaxSeedDims) {
    out.put(kRotationAsSeed);
    out.put(*rotation.seed());
  } else {
    out.put(kRotationAsMatrix);
    const Matrix& r = rotation.matrix();
    for (Index i = 0; i < r.size(); ++i) out.put(r.data()[i]);
  }
}

void write_radial(ByteWriter& out, const RadialMap& radial) {
  for (Index d = 0; d < radial.dims(); ++d) out.put(radial.center()[d]);
  for (Index d = 0; d < radial.dims(); ++d) out.put(radial.scale()[d]);
  detail::write_marginal(out, radial.log_radius());
}

RadialMap read_radial(ByteReader& in, Index dims, std::uint64_t layer) {
  Vector center(dims);
  Vector scale(dims);
  for (Index d = 0; d < dims; ++d) center[d] = in.get<double>();
  for (Index d = 0; d < dims; ++d) scale[d] = in.get<double>();
  std::unique_ptr<MarginalTransform> log_radius = detail::read_marginal(in);
  try {
    return RadialMap(std::move(center), std::move(scale), std::move(log_radius));
  } catch (const Error& e) {
    throw ModelFileError(fmt::format("{}: layer {}: {}", in.path(), layer, e.what()));
  }
}

void write_tree(ByteWriter& out, const TreeMap& tree) {
  out.put(static_cast<std::uint32_t>(tree.nodes().size()));
  for (const TreeNode& node : tree.nodes()) {
    out.put(node.dim);
    out.put(node.threshold);
    out.put(node.out_threshold);
    out.put(node.left);
    out.put(node.right);
  }
}

TreeMap read_tree(ByteReader& in, Index dims, std::uint64_t layer) {
  const auto count = in.get<std::uint32_t>();
  if (count == 0 || count > kMaxTreeNodes)
    throw ModelFileError(
        fmt::format("{}: layer {}: implausible tree size ({} nodes)", in.path(), layer, count));
  std::vector<TreeNode> nodes(count);
  for (TreeNode& node : nodes) {
    node.dim = in.get<std::int32_t>();
    node.threshold = in.get<double>();
    node.out_threshold = in.get<double>();
    node.left = in.get<std::int32_t>();
    node.right = in.get<std::int32_t>();
  }
  try {
    return TreeMap(dims, std::move(nodes));
  } catch (const Error& e) {
    throw ModelFileError(fmt::format("{}: layer {}: {}", in.path(), layer, e.what()));
  }
}

void write_coupling(ByteWriter& out, const CouplingMap& coupling) {
  out.put(static_cast<std::uint32_t>(coupling.knots()));
  out.put(coupling.range());
  out.put(static_cast<std::uint32_t>(coupling.pairs().size()));
  for (const CouplingPair& pair : coupling.pairs()) {
    out.put(pair.target);
    out.put(pair.conditioner);
    for (Index k = 0; k < pair.shift.size(); ++k) out.put(pair.shift[k]);
    for (Index k = 0; k < pair.log_scale.size(); ++k) out.put(pair.log_scale[k]);
  }
}

CouplingMap read_coupling(ByteReader& in, Index dims, std::uint64_t layer) {
  const auto knots = in.get<std::uint32_t>();
  const auto range = in.get<double>();
  const auto count = in.get<std::uint32_t>();
  const std::uint64_t bytes = std::uint64_t{count} * (8 + 16 * std::uint64_t{knots});
  if (knots < 2 || knots > kMaxCouplingKnots || count > static_cast<std::uint64_t>(dims) ||
      bytes > in.remaining())
    throw ModelFileError(fmt::format("{}: layer {}: implausible coupling size ({} knots, {} pairs)",
                                     in.path(), layer, knots, count));
  std::vector<CouplingPair> pairs(count);
  for (CouplingPair& pair : pairs) {
    pair.target = in.get<std::int32_t>();
    pair.conditioner = in.get<std::int32_t>();
    pair.shift.resize(knots);
    pair.log_scale.resize(knots);
    for (Index k = 0; k < pair.shift.size(); ++k) pair.shift[k] = in.get<double>();
    for (Index k = 0; k < pair.log_scale.size(); ++k) pair.log_scale[k] = in.get<double>();
  }
  try {
    return CouplingMap(dims, static_cast<int>(knots), range, std::move(pairs));
  } catch (const Error& e) {
    throw ModelFileError(fmt::format("{}: layer {}: {}", in.path(), layer, e.what()));
  }
}

void write_mixture(ByteWriter& out, const MixtureMap& mixture) {
  out.put(static_cast<std::uint32_t>(mixture.components()));
  for (Index c = 0; c < mixture.components(); ++c) out.put(mixture.weights()[c]);
  for (Index c = 0; c < mixture.components(); ++c)
    for (Index d = 0; d < mixture.dims(); ++d) out.put(mixture.means()(c, d));
  for (const Matrix& covariance : mixture.covariances())
    for (Index i = 0; i < covariance.size(); ++i) out.put(covariance.data()[i]);
}

MixtureMap read_mixture(ByteReader& in, Index dims, std::uint64_t layer) {
  const auto count = in.get<std::uint32_t>();
  const std::uint64_t doubles =
      std::uint64_t{count} *
      (1 + static_cast<std::uint64_t>(dims) * (1 + static_cast<std::uint64_t>(dims)));
  if (count == 0 || count > kMaxStoredComponents || doubles * 8 > in.remaining())
    throw ModelFileError(fmt::format("{}: layer {}: implausible mixture size ({} components)",
                                     in.path(), layer, count));
  const auto k = static_cast<Index>(count);
  Vector weights(k);
  Matrix means(k, dims);
  std::vector<Matrix> covariances(count, Matrix(dims, dims));
  for (Index c = 0; c < k; ++c) weights[c] = in.get<double>();
  for (Index c = 0; c < k; ++c)
    for (Index d = 0; d < dims; ++d) means(c, d) = in.get<double>();
  for (Matrix& covariance : covariances)
    for (Index i = 0; i < covariance.size(); ++i) covariance.data()[i] = in.get<double>();
  try {
    return MixtureMap(std::move(weights), std::move(means), std::move(covariances));
  } catch (const Error& e) {
    throw ModelFileError(fmt::format("{}: layer {}: {}", in.path(), layer, e.what()));
  }
}

/// Checks magic, version, size and checksum; returns the format version.
std::uint32_t check_envelope(std::string_view bytes, const std::string& path) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    throw ModelFileError(path + ": not an rbig model file (wrong magic bytes)");
  }
  if (bytes.size() < kHeaderSize + kTrailerSize) {
    throw ModelFileError(fmt::format("{}: truncated ({} bytes, the header alone needs {})", path,
                                     bytes.size(), kHeaderSize + kTrailerSize));
  }
  ByteReader header(bytes.substr(0, kHeaderSize), path);
  header.take(kMagic.size());
  const auto version = header.get<std::uint32_t>();
  if (version == 1 || version == 2) {
    throw ModelFileError(
        fmt::format("{}: format version {} was written by an older rbig whose "
                    "tails beyond the data differ from this one's; refit the "
                    "model (rbig fit) to use it",
                    path, version));
  }
  if (version != kFormatVersion && version != kVersionMixture && version != kVersionTree &&
      version != kVersionRadial && version != kVersionWithoutRadial &&
      version != kVersionWithoutRule && version != kVersionMeanSlopeTails) {
    throw ModelFileError(
        fmt::format("{}: format version {} is not supported (this rbig reads "
                    "versions {} to {})",
                    path, version, kVersionWithoutRule, kFormatVersion));
  }
  const auto payload_size = header.get<std::uint64_t>();
  const std::size_t expected = kHeaderSize + kTrailerSize + payload_size;
  if (payload_size > bytes.size() || bytes.size() != expected) {
    throw ModelFileError(fmt::format("{}: truncated or padded ({} bytes, the header says {})", path,
                                     bytes.size(), kHeaderSize + kTrailerSize + payload_size));
  }
  ByteReader trailer(bytes.substr(bytes.size() - kTrailerSize), path);
  if (trailer.get<std::uint32_t>() != crc32(bytes.substr(0, bytes.size() - kTrailerSize))) {
    throw ModelFileError(path + ": checksum mismatch (file corrupted or truncated)");
  }
  return version;
}

}  // namespace

Model detail::read_model_file(std::string_view bytes, const std::string& name) {
  return Model::from_bytes(bytes, name);
}

std::string Model::to_bytes() const {
  const bool any_radial = std::any_of(layers_.begin(), layers_.end(),
                                      [](const Layer& layer) { return layer.is_radial(); });
  const bool any_tree = std::any_of(layers_.begin(), layers_.end(),
                                    [](const Layer& layer) { return layer.is_tree(); });
  const bool any_mixture = std::any_of(layers_.begin(), layers_.end(),
                                       [](const Layer& layer) { return layer.is_mixture(); });
  const bool any_coupling = std::any_of(layers_.begin(), layers_.end(),
                                        [](const Layer& layer) { return layer.is_coupling(); });
  // An older --mixture fit that kept no mixture layer says mixture in its options: version 8 still.
  const bool mixture_option = options_.mixture.value_or(false);
  const bool coupling_option = options_.coupling.value_or(false);
  const std::uint32_t version = any_coupling || coupling_option ? kFormatVersion
                                : any_mixture || mixture_option ? kVersionMixture
                                : any_tree || options_.tree     ? kVersionTree
                                : any_radial || options_.radial ? kVersionRadial
                                                                : kVersionWithoutRadial;
  ByteWriter payload;
  payload.put(static_cast<std::uint64_t>(dims_));
  payload.put(static_cast<std::uint64_t>(layers_.size()));
  write_options(payload, options_, version);
  write_report(payload, report_);
  for (const Layer& layer : layers_) {
    if (version >= kVersionRadial) {
      payload.put(layer.is_radial()     ? kRadialLayer
                  : layer.is_tree()     ? kTreeLayer
                  : layer.is_mixture()  ? kMixtureLayer
                  : layer.is_coupling() ? kCouplingLayer
                                        : kMarginalLayer);
    }
    if (layer.is_radial()) {
      write_radial(payload, layer.radial());
    } else if (layer.is_mixture()) {
      write_mixture(payload, layer.mixture());
    } else {
      for (Index d = 0; d < dims_; ++d) detail::write_marginal(payload, layer.marginal(d));
      if (layer.is_tree()) write_tree(payload, layer.tree());
      if (layer.is_coupling()) write_coupling(payload, layer.coupling());
    }
    write_rotation(payload, layer.rotation());
  }
  ByteWriter file;
  file.put_raw(kMagic);
  file.put(version);
  file.put(static_cast<std::uint64_t>(payload.data().size()));
  file.put_raw(payload.data());
  file.put(crc32(file.data()));
  return file.data();
}

void Model::save(const std::filesystem::path& path) const {
  const std::string bytes = to_bytes();
  write_file_atomically(path, [&](std::ostream& out) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
}

namespace {

/// The bytes of a model file: the header first, then exactly the bytes it announces, so that a
/// device or a huge foreign file is refused after 20 bytes instead of being read into memory.
std::string read_model_bytes(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelFileError(fmt::format("{}: cannot open model file", name));
  std::string bytes(kHeaderSize, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(kHeaderSize));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (bytes.size() < kMagic.size() || bytes.compare(0, kMagic.size(), kMagic) != 0) {
    return bytes;  // the wrong-magic or truncation message follows
  }
  if (bytes.size() == kHeaderSize) {
    std::uint64_t payload_size = 0;
    std::memcpy(&payload_size, bytes.data() + kMagic.size() + 4, sizeof payload_size);
    // One byte more than announced, so that padding is reported as such.
    const std::uint64_t rest =
        std::min<std::uint64_t>(payload_size, kMaxFileBytes) + kTrailerSize + 1;
    std::string tail(static_cast<std::size_t>(rest), '\0');
    in.read(tail.data(), static_cast<std::streamsize>(rest));
    tail.resize(static_cast<std::size_t>(in.gcount()));
    bytes += tail;
  }
  if (in.bad()) throw ModelFileError(fmt::format("{}: cannot read model file", name));
  return bytes;
}

/// The payload up to the first layer: sizes, options and report.
ModelSummary read_summary_part(ByteReader& in) {
  const auto dims = in.get<std::uint64_t>();
  const auto layer_count = in.get<std::uint64_t>();
  if (dims == 0 || dims > kMaxDims || layer_count == 0 || layer_count > kMaxLayers) {
    throw ModelFileError(fmt::format("{}: implausible sizes ({} dimensions, {} layers)", in.path(),
                                     dims, layer_count));
  }
  ModelSummary summary;
  summary.dims = static_cast<Index>(dims);
  summary.options = read_options(in);
  summary.report = read_report(in, layer_count);
  return summary;
}

}  // namespace

Model Model::load(const std::filesystem::path& path) {
  return from_bytes(read_model_bytes(path), path.string());
}

ModelSummary Model::read_summary(const std::filesystem::path& path) {
  const std::string name = path.string();
  const std::string bytes = read_model_bytes(path);
  const std::uint32_t version = check_envelope(bytes, name);
  ByteReader in(
      std::string_view(bytes).substr(kHeaderSize, bytes.size() - kHeaderSize - kTrailerSize), name,
      version);
  return read_summary_part(in);
}

Model Model::from_bytes(std::string_view bytes, const std::string& path) {
  const std::uint32_t version = check_envelope(bytes, path);
  ByteReader in(bytes.substr(kHeaderSize, bytes.size() - kHeaderSize - kTrailerSize), path,
                version);
  ModelSummary summary = read_summary_part(in);
  const Index d = summary.dims;
  const std::uint64_t layer_count = summary.report.layers.size();
  std::vector<Layer> layers;
  for (std::uint64_t k = 0; k < layer_count; ++k) {
    throw_if_cancelled();
    const std::uint8_t kind = version >= kVersionRadial ? in.get<std::uint8_t>() : kMarginalLayer;
    if (kind == kRadialLayer) {
      RadialMap radial = read_radial(in, d, k + 1);
      layers.emplace_back(std::move(radial), read_rotation(in, d, k + 1));
      continue;
    }
    if (kind == kMixtureLayer && version >= kVersionMixture) {
      MixtureMap mixture = read_mixture(in, d, k + 1);
      layers.emplace_back(std::move(mixture), read_rotation(in, d, k + 1));
      continue;
    }
    if (kind != kMarginalLayer && !(kind == kTreeLayer && version >= kVersionTree) &&
        !(kind == kCouplingLayer && version >= kFormatVersion)) {
      throw ModelFileError(
          fmt::format("{}: layer {}: unknown layer kind {}", path, k + 1, int{kind}));
    }
    std::vector<std::unique_ptr<MarginalTransform>> marginals;
    for (Index j = 0; j < d; ++j) marginals.push_back(detail::read_marginal(in));
    if (kind == kTreeLayer) {
      TreeMap tree = read_tree(in, d, k + 1);
      layers.emplace_back(std::move(marginals), std::move(tree), read_rotation(in, d, k + 1));
      continue;
    }
    if (kind == kCouplingLayer) {
      CouplingMap coupling = read_coupling(in, d, k + 1);
      layers.emplace_back(std::move(marginals), std::move(coupling), read_rotation(in, d, k + 1));
      continue;
    }
    layers.emplace_back(std::move(marginals), read_rotation(in, d, k + 1));
  }
  if (in.remaining() != 0) {
    throw ModelFileError(
        fmt::format("{}: {} unexpected bytes after the last layer", path, in.remaining()));
  }
  for (size_t k = 0; k < layers.size(); ++k) detail::probe_layer(layers[k], k + 1, path);
  return Model(d, std::move(layers), std::move(summary.options), std::move(summary.report));
}

}  // namespace rbig
