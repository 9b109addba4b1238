// libFuzzer target: the model file loader on arbitrary bytes. Odd first byte: the rest is the
// whole file. Even first byte: the rest is a payload wrapped in a valid header and CRC-32, so the
// fuzzer gets past the checksum into the parser of sizes, marginals and rotations. A loaded model
// is then used (log_prob, transform, inverse, sample) on a few points: a file that loads must give
// a usable model. Any rbig::Error is an accepted answer.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "model/model_file.hpp"

#include <boost/crc.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace {

std::string wrap(const std::uint8_t* payload, std::size_t size) {
  std::string file = "RBIGMODL";
  // The version this rbig writes: an older one is refused before the payload is parsed.
  const std::uint32_t version = rbig::detail::kModelFormatVersion;
  const std::uint64_t payload_size = size;
  file.append(reinterpret_cast<const char*>(&version), sizeof version);
  file.append(reinterpret_cast<const char*>(&payload_size), sizeof payload_size);
  file.append(reinterpret_cast<const char*>(payload), size);
  boost::crc_32_type crc;
  crc.process_bytes(file.data(), file.size());
  const std::uint32_t checksum = crc.checksum();
  file.append(reinterpret_cast<const char*>(&checksum), sizeof checksum);
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string bytes = (data[0] & 1) != 0
                                ? std::string(reinterpret_cast<const char*>(data + 1), size - 1)
                                : wrap(data + 1, size - 1);
  try {
    rbig::Model model = rbig::detail::read_model_file(bytes, "fuzz.rbig");
    model.set_threads(1);
    if (model.dims() > 64) return 0;  // using a huge model would only measure speed
    const rbig::Matrix x = rbig::Matrix::Zero(3, model.dims());
    (void)model.log_prob(x);
    (void)model.transform(x);
    (void)model.inverse(x);
    (void)model.sample(2, 1);
  } catch (const rbig::Error&) {
    // A clear error is the right answer to a damaged file.
  }
  return 0;
}
