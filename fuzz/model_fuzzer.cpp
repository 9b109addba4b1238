// libFuzzer target: the model file loader on arbitrary bytes. The first byte selects the mode:
//   odd            the rest is the whole file;
//   0 (mod 4)      the rest is a payload wrapped in a valid header and CRC-32, so byte mutations
//                  get past the checksum into the parser of sizes, marginals and rotations;
//   2 (mod 4)      semantic: the rest picks a small fitted base model and changes the values of
//                  its stored parameters (semantic_mutation.hpp), re-encoded with a valid CRC.
// A loaded model is then used (log_prob, transform, inverse, sample) on a few points, ordinary
// and extreme: a file that loads must give a usable model. Any rbig::Error is an accepted answer.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "model/model_file.hpp"
#include "semantic_mutation.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace {

std::string model_bytes(const std::uint8_t* data, std::size_t size) {
  const std::uint8_t mode = data[0];
  if ((mode & 1) != 0) return std::string(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((mode & 3) == 2) return rbig::fuzz::semantic_model_file(data + 1, size - 1);
  return rbig::fuzz::wrap_payload(
      std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
}

/// Rows a loaded model must handle: zeros, moderate values and the far finite range.
rbig::Matrix probe_rows(rbig::Index dims) {
  rbig::Matrix x = rbig::Matrix::Zero(3, dims);
  x.row(1).setConstant(2.5);
  x.row(2).setConstant(-1e300);
  return x;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string bytes = model_bytes(data, size);
  try {
    rbig::Model model = rbig::detail::read_model_file(bytes, "fuzz.rbig");
    model.set_threads(1);
    if (model.dims() > 64) return 0;  // using a huge model would only measure speed
    const rbig::Matrix x = probe_rows(model.dims());
    (void)model.log_prob(x);
    (void)model.transform(x);
    (void)model.inverse(rbig::Matrix::Zero(3, model.dims()));
    (void)model.sample(2, 1);
  } catch (const rbig::Error&) {
    // A clear error is the right answer to a damaged file.
  }
  return 0;
}
