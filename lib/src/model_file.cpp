// The model file format, version 1. All integers and doubles little-endian; doubles are stored as
// their IEEE-754 bits, so load(save(m)) reproduces every computation bit for bit. No timestamps or
// timings: the same model gives the same bytes.
//
//   header   magic "RBIGMODL" (8 bytes) | u32 format version | u64 payload size in bytes
//   payload  u64 dims | u64 layers
//            options: u8 marginal | u8 rotation | i32 max_layers | f64 tol | i32 patience |
//                     u8 gaussian fallback | i32 layers (0 = not set) |
//                     i32 bins (0 = automatic) | u64 seed
//            report:  u8 stop | string message | u64 samples | f64 total correlation |
//                     per layer: f64 information reduction
//            layers:  per dimension: u8 marginal kind, then its parameters
//                       histogram: f64 lower edge | f64 bin width | u32 bins | f64 tail mass |
//                                  f64 training entropy | bins × f64 bin mass
//                       gaussian:  f64 mean | f64 sd
//                     u8 rotation kind | dims² × f64 rotation matrix, column-major
//   trailer  u32 CRC-32 of header and payload
// Strings are u32 length + bytes. Readers refuse other versions, wrong sizes and bad checksums.

#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include <rbig/model.hpp>

#include "byte_codec.hpp"
#include "marginal_gaussian.hpp"
#include "marginal_histogram.hpp"

#include <boost/crc.hpp>
#include <fmt/format.h>

#include <fstream>
#include <limits>
#include <sstream>

namespace rbig {
namespace {

constexpr std::string_view kMagic = "RBIGMODL";
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kHeaderSize = 8 + 4 + 8;
constexpr std::size_t kTrailerSize = 4;
constexpr std::uint64_t kMaxDims = 1u << 20;
constexpr std::uint64_t kMaxLayers = 1u << 20;

std::uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

void write_marginal(detail::ByteWriter& out, const MarginalTransform& marginal) {
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
  }
}

std::unique_ptr<MarginalTransform> read_marginal(detail::ByteReader& in) {
  const auto kind = in.get<std::uint8_t>();
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
  throw ModelFileError(fmt::format("{}: unknown marginal kind {}", in.path(), int{kind}));
}

}  // namespace

class ModelFileReader {
 public:
  static Model read(std::string_view bytes, const std::string& path);
};

void Model::save(const std::filesystem::path& path) const {
  detail::ByteWriter payload;
  payload.put(static_cast<std::uint64_t>(dims_));
  payload.put(static_cast<std::uint64_t>(layers_.size()));
  payload.put(static_cast<std::uint8_t>(options_.marginal));
  payload.put(static_cast<std::uint8_t>(options_.rotation));
  payload.put(static_cast<std::int32_t>(options_.max_layers));
  payload.put(options_.tol);
  payload.put(static_cast<std::int32_t>(options_.patience));
  payload.put(static_cast<std::uint8_t>(options_.gaussian_fallback));
  payload.put(static_cast<std::int32_t>(options_.layers.value_or(0)));
  payload.put(static_cast<std::int32_t>(options_.bins.value_or(0)));
  payload.put(options_.seed);
  payload.put(static_cast<std::uint8_t>(report_.stop));
  payload.put_string(report_.message);
  payload.put(static_cast<std::uint64_t>(report_.n_samples));
  payload.put(report_.total_correlation);
  for (const LayerReport& layer : report_.layers) payload.put(layer.info_reduction);
  for (const Layer& layer : layers_) {
    for (Index d = 0; d < dims_; ++d) write_marginal(payload, layer.marginal(d));
    payload.put(static_cast<std::uint8_t>(layer.rotation().kind()));
    const Matrix& r = layer.rotation().matrix();
    for (Index i = 0; i < r.size(); ++i) payload.put(r.data()[i]);
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
  return ModelFileReader::read(contents.str(), path.string());
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
  if (version != kFormatVersion) {
    throw ModelFileError(fmt::format("{}: format version {} is not supported (this rbig reads "
                                     "version {})",
                                     path, version, kFormatVersion));
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
  if (marginal > static_cast<std::uint8_t>(MarginalKind::Gaussian) ||
      rotation > static_cast<std::uint8_t>(RotationKind::Random)) {
    throw ModelFileError(fmt::format("{}: unknown marginal ({}) or rotation ({}) kind", path,
                                     int{marginal}, int{rotation}));
  }
  options.marginal = static_cast<MarginalKind>(marginal);
  options.rotation = static_cast<RotationKind>(rotation);
  options.max_layers = in.get<std::int32_t>();
  options.tol = in.get<double>();
  options.patience = in.get<std::int32_t>();
  options.gaussian_fallback = in.get<std::uint8_t>() != 0;
  if (const auto layers = in.get<std::int32_t>(); layers != 0) options.layers = layers;
  const auto bins = in.get<std::int32_t>();
  if (bins != 0) options.bins = bins;
  options.seed = in.get<std::uint64_t>();

  FitReport report;
  const auto stop = in.get<std::uint8_t>();
  if (stop > static_cast<std::uint8_t>(FitReport::Stop::Observer)) {
    throw ModelFileError(fmt::format("{}: unknown stop reason {}", path, int{stop}));
  }
  report.stop = static_cast<FitReport::Stop>(stop);
  report.message = in.get_string();
  report.n_samples = static_cast<Index>(in.get<std::uint64_t>());
  report.total_correlation = in.get<double>();
  for (std::uint64_t k = 0; k < layer_count; ++k) {
    report.layers.push_back({static_cast<int>(k + 1), in.get<double>(), 0.0});
  }

  const Index d = static_cast<Index>(dims);
  std::vector<Layer> layers;
  for (std::uint64_t k = 0; k < layer_count; ++k) {
    std::vector<std::unique_ptr<MarginalTransform>> marginals;
    for (Index j = 0; j < d; ++j) marginals.push_back(read_marginal(in));
    const auto kind = in.get<std::uint8_t>();
    if (kind > static_cast<std::uint8_t>(RotationKind::Random)) {
      throw ModelFileError(fmt::format("{}: layer {}: unknown rotation kind {}", path, k + 1, int{kind}));
    }
    Matrix r(d, d);
    for (Index i = 0; i < r.size(); ++i) r.data()[i] = in.get<double>();
    try {
      layers.emplace_back(std::move(marginals),
                          Rotation::from_matrix(static_cast<RotationKind>(kind), std::move(r)));
    } catch (const NumericalError& e) {
      throw ModelFileError(fmt::format("{}: layer {}: {}", path, k + 1, e.what()));
    }
  }
  if (in.remaining() != 0) {
    throw ModelFileError(fmt::format("{}: {} unexpected bytes after the last layer", path,
                                     in.remaining()));
  }
  return Model(d, options, std::move(report), std::move(layers));
}

}  // namespace rbig
