#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "marginal/marginal_histogram.hpp"
#include "model/model_file.hpp"
#include "support/files.hpp"
#include "support/known_distributions.hpp"

#include <boost/crc.hpp>
#include <fmt/format.h>

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

using namespace rbig;
using rbig::test::read_bytes;
using rbig::test::write_bytes;

namespace {

/// The bytes Model::save writes for `model` (through a temporary file, removed again).
std::string saved_bytes(const Model& model, const char* name) {
  const test::ScratchDir dir("model-file");
  const auto path = dir.path() / name;
  model.save(path);
  return read_bytes(path);
}

using test::with_valid_checksum;

/// A fitted model saved in a scratch directory of its own: ctest runs test cases in parallel
/// processes (and other checkouts may run theirs), and cases that shared one path removed each
/// other's file.
struct SavedModel {
  explicit SavedModel(const char* name) : path(dir.path() / name) { model.save(path); }
  test::ScratchDir dir{"model-file"};
  std::filesystem::path path;
  Matrix data = test::two_moons_sample(2000, 0.1, 1);
  Model model = Model::fit(data, FitOptions{});
};

}  // namespace

TEST_CASE("model file: load(save(m)) reproduces log_prob, transform and samples bit for bit") {
  const SavedModel saved("rbig_test_model_roundtrip.rbig");
  const Model loaded = Model::load(saved.path);
  CHECK(loaded.dims() == 2);
  CHECK(loaded.layers().size() == saved.model.layers().size());
  CHECK(loaded.log_prob(saved.data) == saved.model.log_prob(saved.data));
  CHECK(loaded.transform(saved.data) == saved.model.transform(saved.data));
  CHECK(loaded.sample(100, 3) == saved.model.sample(100, 3));
  CHECK(loaded.report().total_correlation == saved.model.report().total_correlation);
  CHECK(loaded.report().message == saved.model.report().message);
  // Saving the loaded model gives the same bytes.
  const auto again = saved.dir.path() / "rbig_test_model_again.rbig";
  loaded.save(again);
  CHECK(read_bytes(again) == read_bytes(saved.path));
}

TEST_CASE("model file: damaged files are refused with a message that names the problem") {
  const SavedModel saved("rbig_test_model_damaged.rbig");
  const std::string bytes = read_bytes(saved.path);
  const auto damaged = saved.dir.path() / "rbig_damaged.rbig";

  write_bytes(damaged, bytes.substr(0, bytes.size() / 2));
  CHECK_THROWS_WITH_AS(Model::load(damaged), doctest::Contains("rbig_damaged.rbig: truncated"),
                       ModelFileError);

  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x10);
  write_bytes(damaged, flipped);
  CHECK_THROWS_WITH_AS(Model::load(damaged), doctest::Contains("checksum mismatch"),
                       ModelFileError);

  std::string future = bytes;
  future[8] = 10;  // format version field
  write_bytes(damaged, future);
  CHECK_THROWS_WITH_AS(
      Model::load(damaged),
      doctest::Contains("format version 10 is not supported (this rbig reads versions 3 to 9)"),
      ModelFileError);

  write_bytes(damaged, "x,y\n1,2\n");
  CHECK_THROWS_WITH_AS(Model::load(damaged), doctest::Contains("not an rbig model file"),
                       ModelFileError);

  write_bytes(damaged, "");
  CHECK_THROWS_AS(Model::load(damaged), ModelFileError);
  std::filesystem::remove(damaged);
  CHECK_THROWS_WITH_AS(Model::load(damaged), doctest::Contains("cannot open model file"),
                       ModelFileError);
}

TEST_CASE("model file: a failed save leaves an existing file untouched") {
  const SavedModel saved("rbig_test_model_failed_save.rbig");
  const std::string before = read_bytes(saved.path);
  const auto missing_dir = saved.dir.path() / "rbig_no_such_dir" / "m.rbig";
  CHECK_THROWS_AS(saved.model.save(missing_dir), Error);
  CHECK_FALSE(std::filesystem::exists(missing_dir));
  CHECK(read_bytes(saved.path) == before);
}

TEST_CASE("model file: the in-memory reader gives the same model as load and the same messages") {
  const SavedModel saved("rbig_test_model_in_memory.rbig");
  const std::string bytes = read_bytes(saved.path);
  const Model model = detail::read_model_file(bytes, "mem.rbig");
  CHECK(model.log_prob(saved.data) == saved.model.log_prob(saved.data));
  CHECK_THROWS_WITH_AS(detail::read_model_file(bytes.substr(0, 30), "mem.rbig"),
                       doctest::Contains("mem.rbig: truncated"), ModelFileError);
  CHECK_THROWS_WITH_AS(detail::read_model_file("", "mem.rbig"),
                       "mem.rbig: not an rbig model file (wrong magic bytes)", ModelFileError);
}

TEST_CASE("model file: damaged fields behind a valid checksum are refused, not trusted") {
  const SavedModel saved("rbig_test_model_fields.rbig");
  const std::string bytes = read_bytes(saved.path);
  constexpr std::size_t kPayload = 8 + 4 + 8;  // magic, version, payload size

  // dims = 0 and an absurd layer count.
  std::string zero_dims = bytes;
  std::memset(&zero_dims[kPayload], 0, 8);
  CHECK_THROWS_WITH_AS(detail::read_model_file(with_valid_checksum(zero_dims), "d.rbig"),
                       doctest::Contains("d.rbig: implausible sizes (0 dimensions"),
                       ModelFileError);
  // More dimensions than the payload can hold: refused (by whichever record breaks first) before
  // any large allocation.
  std::string wide = bytes;
  const std::uint64_t dims = 1u << 20;
  std::memcpy(&wide[kPayload], &dims, 8);
  CHECK_THROWS_WITH_AS(detail::read_model_file(with_valid_checksum(wide), "w.rbig"),
                       doctest::Contains("w.rbig: "), ModelFileError);
  // max_layers = 0: the stored options break FitOptions' own rules.
  std::string options = bytes;
  const std::int32_t zero = 0;
  std::memcpy(&options[kPayload + 8 + 8 + 1 + 1], &zero, 4);
  CHECK_THROWS_WITH_AS(detail::read_model_file(with_valid_checksum(options), "o.rbig"),
                       "o.rbig: invalid fit options: max_layers: must be at least 1 (got 0)",
                       ModelFileError);
  // An unknown marginal kind in the options.
  std::string kind = bytes;
  kind[kPayload + 16] = 99;
  CHECK_THROWS_WITH_AS(detail::read_model_file(with_valid_checksum(kind), "k.rbig"),
                       doctest::Contains("k.rbig: unknown marginal (99)"), ModelFileError);
}

TEST_CASE(
    "model file: ica, pursuit and sliced rotations, the kde bandwidth and validation curves "
    "survive a round trip") {
  FitOptions options;
  SUBCASE("ica") { options.rotation = RotationKind::Ica; }
  SUBCASE("pursuit") { options.rotation = RotationKind::Pursuit; }
  SUBCASE("sliced") { options.rotation = RotationKind::Sliced; }
  options.bandwidth = 0.3;
  options.validation = 0.25;
  options.validation_patience = 3;
  options.mixture = false;  // every layer of these rotation kinds (a mixture layer has none)
  const Matrix data = test::two_moons_sample(2000, 0.1, 5);
  const Model model = Model::fit(data, options);
  const test::ScratchDir dir("model-file");
  const auto path = dir.path() / "rbig_test_rotation_model.rbig";
  model.save(path);
  const Model loaded = Model::load(path);
  CHECK(loaded.log_prob(data) == model.log_prob(data));
  CHECK(loaded.inverse(loaded.transform(data)) == model.inverse(model.transform(data)));
  REQUIRE(loaded.report().layers.size() == model.report().layers.size());
  for (size_t k = 0; k < model.report().layers.size(); ++k) {
    CHECK(loaded.report().layers[k].validation_log_prob ==
          model.report().layers[k].validation_log_prob);
  }
  CHECK(loaded.options().validation == 0.25);
  CHECK(loaded.options().bandwidth == 0.3);  // the kde bandwidth the model was fitted with
  CHECK(loaded.report().stop == model.report().stop);
  CHECK(loaded.options().rotation == options.rotation);
  for (const Layer& layer : loaded.layers()) CHECK(layer.rotation().kind() == options.rotation);
}

TEST_CASE("model file: random rotations are stored as their seed, so the file is O(L·D·bins)") {
  // D = 40: a stored matrix would take 40² × 8 = 12,800 bytes per layer.
  constexpr Index kDims = 40;
  constexpr int kLayers = 6;
  const Matrix data =
      test::gaussian_sample(3000, test::random_covariance(kDims, 4), 5).array().cube().matrix();
  constexpr int kBins = 20;
  FitOptions options;
  options.rotation = RotationKind::Random;
  options.marginal = MarginalKind::Histogram;
  options.bins = kBins;
  options.layers = kLayers;
  const Model model = Model::fit(data, options);
  const test::ScratchDir dir("model-file");
  const auto path = dir.path() / "rbig_test_random_model.rbig";
  model.save(path);
  const std::string bytes = read_bytes(path);
  const Model loaded = Model::load(path);
  for (const Layer& layer : model.layers()) CHECK(layer.rotation().seed().has_value());
  // A histogram marginal is 6 fields and kBins masses: the whole file stays within that per
  // column and layer plus the header and report, below the L·D² doubles of stored matrices.
  const std::size_t per_marginal = (kBins + 6) * sizeof(double);
  const std::size_t bound = 4096 + kLayers * kDims * (per_marginal + 16);
  CHECK(bytes.size() < bound);
  CHECK(bound < kLayers * kDims * kDims * sizeof(double));
  // The regenerated rotations are the same matrices, bit for bit.
  REQUIRE(loaded.layers().size() == model.layers().size());
  for (size_t k = 0; k < model.layers().size(); ++k) {
    CHECK(loaded.layers()[k].rotation().matrix() == model.layers()[k].rotation().matrix());
  }
  CHECK(loaded.log_prob(data) == model.log_prob(data));
  CHECK(loaded.sample(50, 2) == model.sample(50, 2));
}

TEST_CASE("model file: version 1 and 2 files are refused with a request to refit") {
  // Their stored parameters would now give other tails (LinearLogTail), so another density.
  FitOptions options;
  options.layers = 1;
  const Matrix data = test::two_moons_sample(1000, 0.1, 6);
  const Model model = Model::fit(data, options);
  std::string bytes = saved_bytes(model, "rbig_test_old_model.rbig");
  for (std::uint32_t version : {1u, 2u}) {
    CAPTURE(version);
    std::memcpy(&bytes[8], &version, 4);
    const std::string expected =
        fmt::format("old.rbig: format version {} was written by an older rbig", version);
    CHECK_THROWS_WITH_AS(detail::read_model_file(with_valid_checksum(bytes), "old.rbig"),
                         doctest::Contains(expected.c_str()), ModelFileError);
  }
}

TEST_CASE("model file: version 3 files (no bandwidth rule byte) load as the same model") {
  // Version 4 added one byte after the kde bandwidth (version 5 kept the layout): header (20
  // bytes), dims and layers (16),
  // then 55 bytes of options before it. Removing it and writing version 3 gives the file an
  // earlier rbig wrote for this model.
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.bandwidth_rule = BandwidthRule::PlugIn;
  options.layers = 3;
  const Matrix data = test::two_moons_sample(1000, 0.1, 8);
  const Model model = Model::fit(data, options);
  const std::string bytes = saved_bytes(model, "rbig_test_v3_model.rbig");
  constexpr size_t kRuleOffset = 20 + 16 + 55;
  CHECK(static_cast<std::uint8_t>(bytes[kRuleOffset]) ==
        static_cast<std::uint8_t>(BandwidthRule::PlugIn));
  CHECK(detail::read_model_file(bytes, "v5.rbig").options().bandwidth_rule ==
        BandwidthRule::PlugIn);

  std::string v3 = bytes;
  v3.erase(kRuleOffset, 1);
  const std::uint32_t version = 3;
  std::memcpy(&v3[8], &version, 4);
  std::uint64_t payload_size = 0;
  std::memcpy(&payload_size, &v3[12], 8);
  --payload_size;
  std::memcpy(&v3[12], &payload_size, 8);
  const Model old = detail::read_model_file(with_valid_checksum(v3), "v3.rbig");
  CHECK(!old.options().bandwidth_rule);
  CHECK(old.log_prob(data) == model.log_prob(data));

  std::string unknown = bytes;
  unknown[kRuleOffset] = 7;
  CHECK_THROWS_WITH_AS(detail::read_model_file(with_valid_checksum(unknown), "r.rbig"),
                       doctest::Contains("r.rbig: unknown kde bandwidth rule (7)"), ModelFileError);
}

TEST_CASE("model file: version 4 files keep the kde tails they were fitted with") {
  // Version 5 has the layout of version 4; only the kde slope beyond each grid changed
  // (KdeTails), so a version 4 file is the same model inside the grids and its own beyond them.
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.layers = 4;
  const Matrix data = test::two_moons_sample(1000, 0.1, 8);
  const Model model = Model::fit(data, options);
  std::string v4 = saved_bytes(model, "rbig_test_v4_model.rbig");
  const std::uint32_t version = 4;
  std::memcpy(&v4[8], &version, 4);
  const Model old = detail::read_model_file(with_valid_checksum(v4), "v4.rbig");
  CHECK(old.log_prob(data) == model.log_prob(data));
  Matrix far(2, 2);
  far << 40.0, 0.0, 0.0, -40.0;
  const Vector now = model.log_prob(far);
  const Vector then = old.log_prob(far);
  REQUIRE(now.allFinite());
  REQUIRE(then.allFinite());
  CHECK((now - then).cwiseAbs().minCoeff() > 1e-6);
  CHECK(old.inverse(old.transform(far)).isApprox(far, 1e-9));
}

TEST_CASE("model file: a damaged model whose layers overflow to NaN gives an error, not UB") {
  // Found by the model fuzzer (fuzz/corpus/model/regression_kde_nan_payload.bin: selector byte 0,
  // then a payload): its parameters pass every load check, but evaluating zeros overflows in an
  // early layer, and a kde grid index was then computed from NaN (undefined behaviour, reported
  // by UBSan). Its rotation holds a NaN, which the load now refuses (and a layer that overflows
  // without one is refused by the load's probe of each layer).
  const std::string seed = read_bytes(std::filesystem::path(RBIG_FUZZ_CORPUS_DIR) / "model" /
                                      "regression_kde_nan_payload.bin");
  REQUIRE(seed.size() > 1);
  std::string file = "RBIGMODL";
  const std::uint32_t version = detail::kModelFormatVersion;
  const std::uint64_t payload_size = seed.size() - 1;
  file.append(reinterpret_cast<const char*>(&version), 4);
  file.append(reinterpret_cast<const char*>(&payload_size), 8);
  file.append(seed, 1, std::string::npos);
  file.append(4, '\0');
  CHECK_THROWS_WITH_AS(detail::read_model_file(with_valid_checksum(file), "nan.rbig"),
                       doctest::Contains("not finite"), ModelFileError);
}

TEST_CASE("model file: a seed cannot ask the loader for a huge rotation") {
  // A 2-D model of one Gaussian-marginal layer with a random rotation ends in
  //   2 × (u8 kind | f64 mean | f64 sd) | u8 kind | u8 storage (1 = seed) | u64 seed | u32 CRC.
  // Rewritten to claim 1025 dimensions (1025 copies of the first marginal), one more than seeds
  // are read for, its 8-byte seed would ask for an O(D³) decomposition (D = 2,048 took 14 s, D =
  // 4,096 38 s and 538 MB): refused with a message instead.
  FitOptions options;
  options.marginal = MarginalKind::Gaussian;
  options.rotation = RotationKind::Random;
  options.layers = 1;
  const Model model = Model::fit(test::two_moons_sample(500, 0.1, 7), options);
  const test::ScratchDir dir("model-file");
  const auto path = dir.path() / "rbig_test_seed_model.rbig";
  model.save(path);
  const std::string bytes = read_bytes(path);
  constexpr std::size_t kHeader = 8 + 4 + 8;
  constexpr std::size_t kMarginal = 1 + 8 + 8;
  constexpr std::size_t kRotation = 1 + 1 + 8;
  const std::size_t rotation_at = bytes.size() - 4 - kRotation;
  REQUIRE(bytes[rotation_at + 1] == 1);  // stored as a seed
  const std::size_t marginals_at = rotation_at - 2 * kMarginal;
  constexpr std::uint64_t kDims = 1025;
  std::string forged = bytes.substr(0, marginals_at);
  std::memcpy(&forged[kHeader], &kDims, 8);
  for (std::uint64_t d = 0; d < kDims; ++d) forged += bytes.substr(marginals_at, kMarginal);
  forged += bytes.substr(rotation_at, kRotation);
  const std::uint64_t payload = forged.size() - kHeader;
  std::memcpy(&forged[12], &payload, 8);
  forged += "CRC!";
  CHECK_THROWS_WITH_AS(detail::read_model_file(with_valid_checksum(forged), "big.rbig"),
                       doctest::Contains("big.rbig: layer 1: a 1025-dimensional rotation stored as "
                                         "a seed"),
                       ModelFileError);
}

TEST_CASE("model file: parameters that pass each field's check but mean no density are refused") {
  // Histogram masses scaled by 100 or 1e-6 no longer sum to one with the tails.
  const std::vector<double> masses{0.2, 0.3, 0.3, 0.19};
  CHECK_NOTHROW(detail::HistogramMarginal(0.0, 1.0, masses, 0.005, 1.0));
  for (double scale : {100.0, 1e-6}) {
    std::vector<double> scaled = masses;
    for (double& m : scaled) m *= scale;
    CHECK_THROWS_WITH_AS(detail::HistogramMarginal(0.0, 1.0, scaled, 0.005, 1.0),
                         doctest::Contains("sum to"), NumericalError);
  }
  // A support beyond double range, and a denormal bin width whose density overflows.
  CHECK_THROWS_AS(detail::HistogramMarginal(-1e308, 1e308, masses, 0.005, 1.0), NumericalError);
  CHECK_THROWS_AS(detail::HistogramMarginal(0.0, 5e-324, masses, 0.005, 1.0), NumericalError);
  // A NaN anywhere in a rotation matrix (maxCoeff skips NaN, so |RᵀR − I| alone would pass it).
  Matrix r = Matrix::Identity(3, 3);
  r(1, 2) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(Rotation::from_matrix(RotationKind::Pca, r), doctest::Contains("not finite"),
                       NumericalError);
}

TEST_CASE("model file: a device or foreign file is refused after its first bytes") {
  // /dev/zero never ends: the loader reads the 20-byte header, sees the wrong magic and stops.
  CHECK_THROWS_WITH_AS(Model::load("/dev/zero"), doctest::Contains("wrong magic bytes"),
                       ModelFileError);
}
