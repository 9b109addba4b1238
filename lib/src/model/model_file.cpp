// The model file format, version 5. Version 4 has the same layout, but its kde marginals are
// read with the tails they were fitted with (KdeTails::MeanSlope: version 5 bounds the slope
// beyond the grid by the estimate's spread too, marginal_kde.cpp). Version 3 also lacks the kde
// bandwidth rule byte and is read as if it said "not set" (its maps are those of version 4).
// Versions 1 and 2 had the layout of version 3
// (version 1 without the rotation storage byte and the kde bandwidth) but maps with a purely
// logarithmic tail beyond the support (LinearLogTail in normal.hpp): the same stored parameters
// now give another density, so those files are refused with a request to refit rather than read
// as a different model.
// All integers and doubles little-endian; doubles are stored as
// their IEEE-754 bits, so load(save(m)) reproduces every computation bit for bit. No timestamps or
// timings: the same model gives the same bytes.
//
//   header   magic "RBIGMODL" (8 bytes) | u32 format version | u64 payload size in bytes
//   payload  u64 dims | u64 layers
//            options: u8 marginal | u8 rotation | i32 max_layers | f64 tol | i32 patience |
//                     u8 gaussian fallback | f64 damping | i32 layers (0 = not set) | f64 validation |
//                     i32 validation patience |
//                     i32 bins (0 = automatic) | f64 kde bandwidth (0 = by the rule) |
//                     u8 kde bandwidth rule (255 = not set; absent in version 3) | u64 seed
//            report:  u8 stop | string message | u64 samples | f64 total correlation |
//                     per layer: f64 information reduction | u8 has validation | f64 validation
//                     mean log-likelihood (0 when absent)
//            layers:  per dimension: u8 marginal kind, then its parameters
//                       histogram: f64 lower edge | f64 bin width | u32 bins | f64 tail mass |
//                                  f64 training entropy | bins × f64 bin mass
//                       gaussian:  f64 mean | f64 sd
//                       damped:    u8 255 | f64 strength | f64 mean | f64 sd, then the fitted
//                                  marginal as above
//                       kde:       f64 first grid node | f64 node spacing | u32 nodes |
//                                  f64 tail mass | f64 training entropy | nodes × f64 density
//                       spline:    u32 knots | f64 tail mass | f64 floor mass |
//                                  f64 training entropy | knots × f64 knot |
//                                  knots × f64 CDF level
//                     u8 rotation kind | u8 storage, then
//                       0 (matrix): dims² × f64 rotation matrix, column-major
//                       1 (seed, random rotations only, dims ≤ 8192): u64 seed, regenerated
//                         by Rotation::random on load (O(L) bytes instead of O(L·D²); the
//                         Box–Muller draws use std::log/sin/cos, so another libm may differ in
//                         the last bits of the regenerated matrix)
//   trailer  u32 CRC-32 of header and payload
// Strings are u32 length + bytes. Readers refuse other versions, wrong sizes and bad checksums.

#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include <rbig/model.hpp>

#include "model/model_file.hpp"

#include "model/byte_codec.hpp"
#include "marginal/marginal_damped.hpp"
#include "marginal/marginal_gaussian.hpp"
#include "marginal/marginal_histogram.hpp"
#include "marginal/marginal_kde.hpp"
#include "marginal/marginal_spline.hpp"

#include <boost/crc.hpp>
#include <fmt/format.h>

#include <fstream>
#include <limits>
#include <sstream>

namespace rbig {
namespace {

constexpr std::string_view kMagic = "RBIGMODL";
constexpr std::uint32_t kFormatVersion = detail::kModelFormatVersion;  // older: see the top
constexpr std::uint32_t kVersionWithoutRule = 3;  // read too: the maps of version 4
constexpr std::uint32_t kVersionMeanSlopeTails = 4;  // read too: kde tails as fitted then
constexpr std::uint8_t kRuleNotSet = 255;         // the kde bandwidth rule byte
constexpr std::uint8_t kRotationAsMatrix = 0;
constexpr std::uint8_t kRotationAsSeed = 1;
// A seed regenerates a D×D matrix by an O(D³) QR decomposition: 8 bytes must not be able to ask for
// hours of work and gigabytes. Up to this D (512 MB, about two minutes) rotations are stored as
// seeds; beyond it as matrices, whose size the file itself then bounds.
constexpr Index kMaxSeedDims = 8192;
constexpr std::size_t kHeaderSize = 8 + 4 + 8;
constexpr std::size_t kTrailerSize = 4;
constexpr std::uint64_t kMaxDims = 1u << 20;
constexpr std::uint64_t kMaxLayers = 1u << 20;

std::uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

constexpr std::uint8_t kDampedMarker = 255;

void write_marginal(detail::ByteWriter& out, const MarginalTransform& marginal) {
  if (const auto* damped = dynamic_cast<const detail::DampedMarginal*>(&marginal)) {
    out.put(kDampedMarker);
    out.put(damped->strength());
    out.put(damped->gaussian().mean());
    out.put(damped->gaussian().sd());
    write_marginal(out, damped->fitted());
    return;
  }
  out.put(static_cast<std::uint8_t>(marginal.kind()));
  switch (marginal.kind()) {
    case MarginalKind::Histogram: {
      const auto& histogram = dynamic_cast<const detail::HistogramMarginal&>(marginal);
      out.put(histogram.lower_edge());
      out.put(histogram.bin_width());
      out.put(static_cast<std::uint32_t>(histogram.bin_mass().size()));
      out.put(histogram.tail_mass());
      out.put(histogram.training_entropy());
      for (double mass : histogram.bin_mass()) out.put(mass);
      return;
    }
    case MarginalKind::Gaussian: {
      const auto& gaussian = dynamic_cast<const detail::GaussianMarginal&>(marginal);
      out.put(gaussian.mean());
      out.put(gaussian.sd());
      return;
    }
    case MarginalKind::Kde: {
      const auto& kde = dynamic_cast<const detail::KdeMarginal&>(marginal);
      out.put(kde.lower_node());
      out.put(kde.step());
      out.put(static_cast<std::uint32_t>(kde.density().size()));
      out.put(kde.tail_mass());
      out.put(kde.training_entropy());
      for (double f : kde.density()) out.put(f);
      return;
    }
    case MarginalKind::Spline: {
      const auto& spline = dynamic_cast<const detail::SplineMarginal&>(marginal);
      out.put(static_cast<std::uint32_t>(spline.knots().size()));
      out.put(spline.tail_mass());
      out.put(spline.floor_mass());
      out.put(spline.training_entropy());
      for (double knot : spline.knots()) out.put(knot);
      for (double level : spline.levels()) out.put(level);
      return;
    }
  }
}

std::unique_ptr<MarginalTransform> read_marginal(detail::ByteReader& in, detail::KdeTails kde_tails,
                                                 bool nested = false) {
  const auto kind = in.get<std::uint8_t>();
  if (kind == kDampedMarker && !nested) {
    const auto strength = in.get<double>();
    const auto mean = in.get<double>();
    const auto sd = in.get<double>();
    std::unique_ptr<MarginalTransform> fitted = read_marginal(in, kde_tails, true);
    try {
      return std::make_unique<detail::DampedMarginal>(std::move(fitted),
                                                      detail::GaussianMarginal(mean, sd), strength);
    } catch (const NumericalError& e) {
      throw ModelFileError(fmt::format("{}: {}", in.path(), e.what()));
    }
  }
  if (kind == static_cast<std::uint8_t>(MarginalKind::Histogram)) {
    const auto lower_edge = in.get<double>();
    const auto bin_width = in.get<double>();
    const auto bins = in.get<std::uint32_t>();
    const auto tail_mass = in.get<double>();
    const auto entropy = in.get<double>();
    if (bins == 0 || bins > in.remaining() / sizeof(double)) {
      throw ModelFileError(fmt::format("{}: invalid histogram bin count {}", in.path(), bins));
    }
    std::vector<double> mass(bins);
    for (double& m : mass) m = in.get<double>();
    try {
      return std::make_unique<detail::HistogramMarginal>(lower_edge, bin_width, std::move(mass),
                                                         tail_mass, entropy);
    } catch (const NumericalError& e) {
      throw ModelFileError(fmt::format("{}: {}", in.path(), e.what()));
    }
  }
  if (kind == static_cast<std::uint8_t>(MarginalKind::Gaussian)) {
    const auto mean = in.get<double>();
    const auto sd = in.get<double>();
    try {
      return std::make_unique<detail::GaussianMarginal>(mean, sd);
    } catch (const NumericalError& e) {
      throw ModelFileError(fmt::format("{}: {}", in.path(), e.what()));
    }
  }
  if (kind == static_cast<std::uint8_t>(MarginalKind::Kde)) {
    const auto lower_node = in.get<double>();
    const auto step = in.get<double>();
    const auto nodes = in.get<std::uint32_t>();
    const auto tail_mass = in.get<double>();
    const auto entropy = in.get<double>();
    if (nodes < 2 || nodes > in.remaining() / sizeof(double)) {
      throw ModelFileError(fmt::format("{}: invalid kde grid size {}", in.path(), nodes));
    }
    std::vector<double> density(nodes);
    for (double& f : density) f = in.get<double>();
    try {
      return std::make_unique<detail::KdeMarginal>(lower_node, step, std::move(density),
                                                   tail_mass, entropy, kde_tails);
    } catch (const NumericalError& e) {
      throw ModelFileError(fmt::format("{}: {}", in.path(), e.what()));
    }
  }
  if (kind == static_cast<std::uint8_t>(MarginalKind::Spline)) {
    const auto knots = in.get<std::uint32_t>();
    const auto tail_mass = in.get<double>();
    const auto floor_mass = in.get<double>();
    const auto entropy = in.get<double>();
    if (knots < 2 || knots > in.remaining() / (2 * sizeof(double))) {
      throw ModelFileError(fmt::format("{}: invalid spline knot count {}", in.path(), knots));
    }
    std::vector<double> positions(knots);
    std::vector<double> levels(knots);
    for (double& v : positions) v = in.get<double>();
    for (double& v : levels) v = in.get<double>();
    try {
      return std::make_unique<detail::SplineMarginal>(std::move(positions), std::move(levels),
                                                      tail_mass, floor_mass, entropy);
    } catch (const NumericalError& e) {
      throw ModelFileError(fmt::format("{}: {}", in.path(), e.what()));
    }
  }
  throw ModelFileError(fmt::format("{}: unknown marginal kind {}", in.path(), int{kind}));
}

}  // namespace

class ModelFileReader {
 public:
  static Model read(std::string_view bytes, const std::string& path);

 private:
  static Rotation read_rotation(detail::ByteReader& in, Index dims,
                                std::uint64_t layer);
};

void Model::save(const std::filesystem::path& path) const {
  detail::ByteWriter payload;
  payload.put(static_cast<std::uint64_t>(dims_));
  payload.put(static_cast<std::uint64_t>(layers_.size()));
  payload.put(static_cast<std::uint8_t>(options_.marginal.value()));  // a fit resolves both
  payload.put(static_cast<std::uint8_t>(options_.rotation));
  payload.put(static_cast<std::int32_t>(options_.max_layers));
  payload.put(options_.tol);
  payload.put(static_cast<std::int32_t>(options_.patience));
  payload.put(static_cast<std::uint8_t>(options_.gaussian_fallback));
  payload.put(options_.damping.value());
  payload.put(static_cast<std::int32_t>(options_.layers.value_or(0)));
  payload.put(options_.validation);
  payload.put(static_cast<std::int32_t>(options_.validation_patience));
  payload.put(static_cast<std::int32_t>(options_.bins.value_or(0)));
  payload.put(options_.bandwidth.value_or(0.0));
  payload.put(options_.bandwidth_rule ? static_cast<std::uint8_t>(*options_.bandwidth_rule)
                                      : kRuleNotSet);
  payload.put(options_.seed);
  payload.put(static_cast<std::uint8_t>(report_.stop));
  payload.put_string(report_.message);
  payload.put(static_cast<std::uint64_t>(report_.n_samples));
  payload.put(report_.total_correlation);
  for (const LayerReport& layer : report_.layers) {
    payload.put(layer.info_reduction);
    payload.put(static_cast<std::uint8_t>(layer.validation_log_prob.has_value()));
    payload.put(layer.validation_log_prob.value_or(0.0));
  }
  for (const Layer& layer : layers_) {
    for (Index d = 0; d < dims_; ++d) write_marginal(payload, layer.marginal(d));
    const Rotation& rotation = layer.rotation();
    payload.put(static_cast<std::uint8_t>(rotation.kind()));
    if (rotation.seed() && dims_ <= kMaxSeedDims) {
      payload.put(kRotationAsSeed);
      payload.put(*rotation.seed());
    } else {
      payload.put(kRotationAsMatrix);
      const Matrix& r = rotation.matrix();
      for (Index i = 0; i < r.size(); ++i) payload.put(r.data()[i]);
    }
  }

  detail::ByteWriter file;
  file.put_raw(kMagic);
  file.put(kFormatVersion);
  file.put(static_cast<std::uint64_t>(payload.data().size()));
  file.put_raw(payload.data());
  file.put(crc32(file.data()));
  write_file_atomically(path, [&](std::ostream& out) {
    out.write(file.data().data(), static_cast<std::streamsize>(file.data().size()));
  });
}

Model Model::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelFileError(fmt::format("{}: cannot open model file", path.string()));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw ModelFileError(fmt::format("{}: cannot read model file", path.string()));
  return ModelFileReader::read(contents.str(), path.string());
}

Rotation ModelFileReader::read_rotation(detail::ByteReader& in, Index dims,
                                        std::uint64_t layer) {
  const std::string& path = in.path();
  const auto kind = in.get<std::uint8_t>();
  if (kind > static_cast<std::uint8_t>(RotationKind::Pursuit)) {
    throw ModelFileError(fmt::format("{}: layer {}: unknown rotation kind {}", path, layer, int{kind}));
  }
  const auto storage = in.get<std::uint8_t>();
  if (storage == kRotationAsSeed) {
    if (kind != static_cast<std::uint8_t>(RotationKind::Random)) {
      throw ModelFileError(fmt::format("{}: layer {}: only a random rotation can be stored as a "
                                       "seed (kind {})",
                                       path, layer, int{kind}));
    }
    if (dims > kMaxSeedDims) {
      throw ModelFileError(fmt::format("{}: layer {}: a {}-dimensional rotation stored as a seed "
                                       "(this rbig writes seeds only up to {} dimensions)",
                                       path, layer, dims, kMaxSeedDims));
    }
    return Rotation::random(dims, in.get<std::uint64_t>());
  }
  if (storage != kRotationAsMatrix) {
    throw ModelFileError(fmt::format("{}: layer {}: unknown rotation storage {}", path, layer,
                                     int{storage}));
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

Model detail::read_model_file(std::string_view bytes, const std::string& name) {
  return ModelFileReader::read(bytes, name);
}

Model ModelFileReader::read(std::string_view bytes, const std::string& path) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    throw ModelFileError(path + ": not an rbig model file (wrong magic bytes)");
  }
  if (bytes.size() < kHeaderSize + kTrailerSize) {
    throw ModelFileError(fmt::format("{}: truncated ({} bytes, the header alone needs {})", path,
                                     bytes.size(), kHeaderSize + kTrailerSize));
  }
  detail::ByteReader header(bytes.substr(0, kHeaderSize), path);
  header.take(kMagic.size());
  const auto version = header.get<std::uint32_t>();
  if (version == 1 || version == 2) {
    throw ModelFileError(fmt::format("{}: format version {} was written by an older rbig whose "
                                     "tails beyond the data differ from this one's; refit the "
                                     "model (rbig fit) to use it",
                                     path, version));
  }
  if (version != kFormatVersion && version != kVersionWithoutRule &&
      version != kVersionMeanSlopeTails) {
    throw ModelFileError(fmt::format("{}: format version {} is not supported (this rbig reads "
                                     "versions {} to {})",
                                     path, version, kVersionWithoutRule, kFormatVersion));
  }
  const auto payload_size = header.get<std::uint64_t>();
  const std::size_t expected = kHeaderSize + kTrailerSize + payload_size;
  if (payload_size > bytes.size() || bytes.size() != expected) {
    throw ModelFileError(fmt::format("{}: truncated or padded ({} bytes, the header says {})", path,
                                     bytes.size(), kHeaderSize + kTrailerSize + payload_size));
  }
  detail::ByteReader trailer(bytes.substr(bytes.size() - kTrailerSize), path);
  if (trailer.get<std::uint32_t>() != crc32(bytes.substr(0, bytes.size() - kTrailerSize))) {
    throw ModelFileError(path + ": checksum mismatch (file corrupted or truncated)");
  }

  detail::ByteReader in(bytes.substr(kHeaderSize, payload_size), path);
  const auto dims = in.get<std::uint64_t>();
  const auto layer_count = in.get<std::uint64_t>();
  if (dims == 0 || dims > kMaxDims || layer_count > kMaxLayers) {
    throw ModelFileError(fmt::format("{}: implausible sizes ({} dimensions, {} layers)", path, dims,
                                     layer_count));
  }
  FitOptions options;
  const auto marginal = in.get<std::uint8_t>();
  const auto rotation = in.get<std::uint8_t>();
  if (marginal > static_cast<std::uint8_t>(MarginalKind::Spline) ||
      rotation > static_cast<std::uint8_t>(RotationKind::Pursuit)) {
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
  const auto bins = in.get<std::int32_t>();
  if (bins != 0) options.bins = bins;
  if (const auto bandwidth = in.get<double>(); bandwidth != 0.0) options.bandwidth = bandwidth;
  if (version != kVersionWithoutRule) {
    const auto rule = in.get<std::uint8_t>();
    if (rule != kRuleNotSet && rule > static_cast<std::uint8_t>(BandwidthRule::Annealed)) {
      throw ModelFileError(fmt::format("{}: unknown kde bandwidth rule ({})", path, int{rule}));
    }
    if (rule != kRuleNotSet) options.bandwidth_rule = static_cast<BandwidthRule>(rule);
  }
  options.seed = in.get<std::uint64_t>();
  // The options are reported by `rbig info` and reused by callers: the same rules as for a fit.
  try {
    options.validate();
  } catch (const OptionError& e) {
    throw ModelFileError(fmt::format("{}: invalid fit options: {}", path, e.what()));
  }

  FitReport report;
  const auto stop = in.get<std::uint8_t>();
  if (stop > static_cast<std::uint8_t>(FitReport::Stop::Validation)) {
    throw ModelFileError(fmt::format("{}: unknown stop reason {}", path, int{stop}));
  }
  report.stop = static_cast<FitReport::Stop>(stop);
  report.message = in.get_string();
  report.n_samples = static_cast<Index>(in.get<std::uint64_t>());
  report.total_correlation = in.get<double>();
  for (std::uint64_t k = 0; k < layer_count; ++k) {
    LayerReport layer{static_cast<int>(k + 1), in.get<double>(), 0.0, {}};
    const bool has_validation = in.get<std::uint8_t>() != 0;
    const auto validation_log_prob = in.get<double>();
    if (has_validation) layer.validation_log_prob = validation_log_prob;
    report.layers.push_back(layer);
  }

  const Index d = static_cast<Index>(dims);
  const detail::KdeTails kde_tails =
      version >= 5 ? detail::KdeTails::Spread : detail::KdeTails::MeanSlope;
  std::vector<Layer> layers;
  for (std::uint64_t k = 0; k < layer_count; ++k) {
    std::vector<std::unique_ptr<MarginalTransform>> marginals;
    for (Index j = 0; j < d; ++j) marginals.push_back(read_marginal(in, kde_tails));
    layers.emplace_back(std::move(marginals), read_rotation(in, d, k + 1));
  }
  if (in.remaining() != 0) {
    throw ModelFileError(fmt::format("{}: {} unexpected bytes after the last layer", path,
                                     in.remaining()));
  }
  return Model(d, options, std::move(report), std::move(layers));
}

}  // namespace rbig
