// Model files that cannot be read, refused by every command (issue 6).

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("damaged model files are refused by every command with a message naming the problem") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string bytes = read_text(model);
  std::string future = bytes;
  future[8] = 10;  // the format version field
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x04);
  std::string magic = bytes;
  magic[0] = 'X';
  struct Case {
    std::string name, bytes, message;
  };
  const std::vector<Case> cases = {
      {"magic.rbig", magic, "magic.rbig: not an rbig model file (wrong magic bytes)"},
      {"csv.rbig", "eruptions,waiting\n3.6,79\n", "csv.rbig: not an rbig model file"},
      {"empty.rbig", "", "empty.rbig: not an rbig model file"},
      {"future.rbig", future,
       "future.rbig: format version 10 is not supported (this rbig reads versions 3 to 9)"},
      {"truncated.rbig", bytes.substr(0, bytes.size() - 100), "truncated.rbig: truncated"},
      {"header.rbig", bytes.substr(0, 12), "header.rbig: truncated"},
      {"padded.rbig", bytes + "x", "padded.rbig: truncated or padded"},
      {"flipped.rbig", flipped, "flipped.rbig: checksum mismatch (file corrupted or truncated)"},
  };
  for (const Case& c : cases) {
    const std::string path = dir / c.name;
    write_text(path, c.bytes);
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"score", path, kFaithful},
                                               {"transform", path, kFaithful},
                                               {"inverse", path, kFaithful},
                                               {"sample", path, "-n", "3"},
                                               {"info", path}}) {
      check_fails(dir, args, 1, {c.message});
    }
  }
  check_fails(dir, {"info", dir / "missing.rbig"}, 1, {"missing.rbig: cannot open model file"});
  // Dimension mismatch: one column fewer than the model.
  write_text(dir / "narrow.csv", "eruptions\n3.6\n1.8\n");
  for (const char* command : {"score", "transform", "inverse"}) {
    check_fails(dir, {command, model, dir / "narrow.csv"}, 1,
                {"narrow.csv has 1 columns, model " + model + " has 2 dimensions"});
  }
}
