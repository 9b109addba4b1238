#include "semantic_mutation.hpp"

#include <rbig/model.hpp>

#include "model/model_file.hpp"

#include <boost/crc.hpp>

#include <cmath>
#include <cstring>
#include <limits>

namespace rbig::fuzz {
namespace {

constexpr std::size_t kHeaderSize = 8 + 4 + 8;  // magic, version, payload size
constexpr std::size_t kTrailerSize = 4;         // CRC-32

double read_double(std::string_view bytes, std::size_t at) {
  double value = 0.0;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}

bool parameter_like(double value) {
  const double magnitude = std::abs(value);
  return value == 0.0 || (std::isfinite(value) && magnitude >= 1e-40 && magnitude <= 1e40);
}

/// 300 rows of a bent, noisy 2-D cloud: structure for every marginal and rotation to fit.
Matrix base_data() {
  Matrix x(300, 2);
  for (Index r = 0; r < x.rows(); ++r) {
    const double t = static_cast<double>(r) / 300.0;
    x(r, 0) = std::cos(6.0 * t) + 0.05 * std::sin(91.0 * t);
    x(r, 1) = std::sin(6.0 * t) * t + 0.05 * std::cos(77.0 * t);
  }
  return x;
}

std::vector<std::string> make_base_payloads() {
  struct Base {
    MarginalKind marginal;
    RotationKind rotation;
    double damping;
  };
  const Base bases[] = {{MarginalKind::Histogram, RotationKind::Pca, 1.0},
                        {MarginalKind::Kde, RotationKind::Random, 1.0},
                        {MarginalKind::Spline, RotationKind::Ica, 1.0},
                        {MarginalKind::Gaussian, RotationKind::Pursuit, 1.0},
                        {MarginalKind::Kde, RotationKind::Pca, 0.5}};
  const Matrix data = base_data();
  std::vector<std::string> payloads;
  for (const Base& base : bases) {
    FitOptions options;
    options.marginal = base.marginal;
    options.rotation = base.rotation;
    options.damping = base.damping;
    options.layers = 3;
    options.threads = 1;
    const std::string file = Model::fit(data, options).to_bytes();
    payloads.push_back(file.substr(kHeaderSize, file.size() - kHeaderSize - kTrailerSize));
  }
  return payloads;
}

}  // namespace

std::vector<std::size_t> parameter_offsets(std::string_view payload) {
  std::vector<std::size_t> offsets;
  for (std::size_t at = 0; at + sizeof(double) <= payload.size();) {
    if (parameter_like(read_double(payload, at))) {
      offsets.push_back(at);
      at += sizeof(double);
    } else {
      ++at;
    }
  }
  return offsets;
}

double mutated_value(double value, std::uint8_t op, std::uint8_t extra) {
  constexpr double kMax = std::numeric_limits<double>::max();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const double scale = std::ldexp(1.0, static_cast<int>(extra) - 128);  // 2^−128 … 2^127
  switch (op % 20) {
    case 0:
      return 0.0;
    case 1:
      return -0.0;
    case 2:
      return std::numeric_limits<double>::denorm_min();  // 5e-324
    case 3:
      return std::numeric_limits<double>::min();  // 2.2e-308
    case 4:
      return 1e-300;
    case 5:
      return 1e300;
    case 6:
      return 1e308;
    case 7:
      return -1e308;
    case 8:
      return kMax;
    case 9:
      return -kMax;
    case 10:
      return kInf;
    case 11:
      return -kInf;
    case 12:
      return std::numeric_limits<double>::quiet_NaN();
    case 13:
      return -value;
    case 14:
      return value * scale;
    case 15:
      return value + scale;
    case 16:
      return std::nextafter(value, kInf);
    case 17:
      return std::nextafter(value, -kInf);
    case 18:
      return value * (1.0 + 1e-9 * (static_cast<double>(extra) - 128.0));
    default:
      return static_cast<double>(extra) - 128.0;
  }
}

const std::string& base_payload(std::size_t index) {
  static const std::vector<std::string> payloads = make_base_payloads();
  return payloads[index % payloads.size()];
}

std::string wrap_payload(std::string_view payload) {
  std::string file = "RBIGMODL";
  const std::uint32_t version = detail::kModelFormatVersion;
  const std::uint64_t payload_size = payload.size();
  file.append(reinterpret_cast<const char*>(&version), sizeof version);
  file.append(reinterpret_cast<const char*>(&payload_size), sizeof payload_size);
  file.append(payload);
  boost::crc_32_type crc;
  crc.process_bytes(file.data(), file.size());
  const std::uint32_t checksum = crc.checksum();
  file.append(reinterpret_cast<const char*>(&checksum), sizeof checksum);
  return file;
}

std::string semantic_model_file(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return wrap_payload(base_payload(0));
  std::string payload = base_payload(data[0]);
  const std::vector<std::size_t> offsets = parameter_offsets(payload);
  for (std::size_t i = 1; i + 3 <= size && !offsets.empty(); i += 3) {
    const std::size_t field = (std::size_t{data[i]} << 8 | data[i + 1]) % offsets.size();
    const std::size_t at = offsets[field];
    const double value = mutated_value(read_double(payload, at), data[i + 2], data[i]);
    std::memcpy(&payload[at], &value, sizeof value);
  }
  return wrap_payload(payload);
}

}  // namespace rbig::fuzz
