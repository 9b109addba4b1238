// Cheap checks before expensive ones (issue 15, item 6): score, transform and inverse compare the
// model's dimensions with the data before they build any layer, and info reads only what it
// prints. Shown with a model whose last layer is unreadable behind a valid checksum.

#include "support.hpp"

#include <boost/crc.hpp>
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>

using namespace rbig::cli_test;

namespace {

/// A faithful model of random rotations (stored as seeds) whose last rotation has an unknown
/// storage byte, with a valid CRC-32: only building that layer finds the damage.
std::string damaged_last_layer(TempDir& dir) {
  const std::string model = dir / "m.rbig";
  const Result fit = dir.run({"fit", kFaithful, "-o", model, "-q", "--marginal", "gaussian",
                              "--rotation", "random", "--layers", "2", "--damping", "1"});
  REQUIRE(fit.status == 0);
  std::string bytes = read_text(model);
  // The file ends with the last rotation: u8 kind | u8 storage (1: seed) | u64 seed | u32 CRC.
  const std::size_t storage_at = bytes.size() - 4 - 8 - 1;
  REQUIRE(bytes[storage_at] == 1);
  bytes[storage_at] = 7;
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size() - 4);
  const std::uint32_t checksum = crc.checksum();
  std::memcpy(&bytes[bytes.size() - 4], &checksum, 4);
  const std::string damaged = dir / "damaged.rbig";
  write_text(damaged, bytes);
  return damaged;
}

}  // namespace

TEST_CASE("score, transform and inverse report wrong columns before building the layers") {
  TempDir dir;
  const std::string model = damaged_last_layer(dir);
  write_text(dir / "narrow.csv", "eruptions\n3.6\n1.8\n");
  for (const char* command : {"score", "transform", "inverse"}) {
    check_fails(dir, {command, model, dir / "narrow.csv"}, 1,
                {"narrow.csv has 1 columns, model " + model + " has 2 dimensions"});
    // With matching data, the layers are built and the damage is found.
    check_fails(dir, {command, model, kFaithful}, 1, {"layer 2: unknown rotation storage 7"});
  }
}

TEST_CASE("info describes a model without building its layers") {
  TempDir dir;
  const std::string model = damaged_last_layer(dir);
  const Result r = dir.run({"info", model, "--json"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  CHECK(json["layers"] == 2);
  CHECK(json["dims"] == 2);
  CHECK(json["options"]["rotation"] == "random");
}

TEST_CASE("info escapes control characters of a crafted stop message") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  REQUIRE(dir.run({"fit", kFaithful, "-o", model, "-q", "--layers", "2"}).status == 0);
  std::string bytes = read_text(model);
  // The stop message of a fixed layer count; rewritten in place (same length) with a screen
  // clear, a bell and a C1 control (U+009B, the 8-bit CSI), then the CRC-32 recomputed.
  const std::string message = "fitted the requested 2 layers";
  const std::size_t at = bytes.find(message);
  REQUIRE(at != std::string::npos);
  const std::string crafted =
      "\x1b[2J\x07 evil \xc2\x9b"
      "1m done\\ pad!!!!";
  REQUIRE(crafted.size() == message.size());
  bytes.replace(at, message.size(), crafted);
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size() - 4);
  const std::uint32_t checksum = crc.checksum();
  std::memcpy(&bytes[bytes.size() - 4], &checksum, 4);
  write_text(model, bytes);
  const Result r = dir.run({"info", model});
  INFO("stdout: ", r.out);
  REQUIRE(r.status == 0);
  CHECK(contains(r.out, "(\\x1b[2J\\x07 evil \\x9b1m done\\\\ pad!!!!)"));
  for (const char c : r.out) CHECK((c == '\n' || static_cast<unsigned char>(c) >= 0x20));
  CHECK(!contains(r.out, "\xc2\x9b"));
  // JSON escapes them itself.
  const nlohmann::json json = parse_json_object(dir.run({"info", model, "--json"}).out);
  CHECK(json["stop_message"] == crafted);
}
