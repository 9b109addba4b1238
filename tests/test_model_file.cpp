#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace rbig;

namespace {

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

struct SavedModel {
  std::filesystem::path path = std::filesystem::temp_directory_path() / "rbig_test_model.rbig";
  Matrix data = test::two_moons_sample(2000, 0.1, 1);
  Model model = Model::fit(data, FitOptions{});
  SavedModel() { model.save(path); }
  ~SavedModel() { std::filesystem::remove(path); }
};

}  // namespace

TEST_CASE("model file: load(save(m)) reproduces log_prob, transform and samples bit for bit") {
  const SavedModel saved;
  const Model loaded = Model::load(saved.path);
  CHECK(loaded.dims() == 2);
  CHECK(loaded.layers().size() == saved.model.layers().size());
  CHECK(loaded.log_prob(saved.data) == saved.model.log_prob(saved.data));
  CHECK(loaded.transform(saved.data) == saved.model.transform(saved.data));
  CHECK(loaded.sample(100, 3) == saved.model.sample(100, 3));
  CHECK(loaded.report().total_correlation == saved.model.report().total_correlation);
  CHECK(loaded.report().message == saved.model.report().message);
  // Saving the loaded model gives the same bytes.
  const auto again = std::filesystem::temp_directory_path() / "rbig_test_model_again.rbig";
  loaded.save(again);
  CHECK(read_bytes(again) == read_bytes(saved.path));
  std::filesystem::remove(again);
}

TEST_CASE("model file: damaged files are refused with a message that names the problem") {
  const SavedModel saved;
  const std::string bytes = read_bytes(saved.path);
  const auto damaged = std::filesystem::temp_directory_path() / "rbig_damaged.rbig";

  write_bytes(damaged, bytes.substr(0, bytes.size() / 2));
  CHECK_THROWS_WITH_AS(Model::load(damaged), doctest::Contains("rbig_damaged.rbig: truncated"),
                       ModelFileError);

  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x10);
  write_bytes(damaged, flipped);
  CHECK_THROWS_WITH_AS(Model::load(damaged), doctest::Contains("checksum mismatch"), ModelFileError);

  std::string future = bytes;
  future[8] = 2;  // format version field
  write_bytes(damaged, future);
  CHECK_THROWS_WITH_AS(Model::load(damaged),
                       doctest::Contains("format version 2 is not supported (this rbig reads version 1)"),
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
  const SavedModel saved;
  const std::string before = read_bytes(saved.path);
  const auto missing_dir = std::filesystem::temp_directory_path() / "rbig_no_such_dir" / "m.rbig";
  CHECK_THROWS_AS(saved.model.save(missing_dir), Error);
  CHECK_FALSE(std::filesystem::exists(missing_dir));
  CHECK(read_bytes(saved.path) == before);
}
