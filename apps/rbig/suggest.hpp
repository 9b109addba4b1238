#pragma once
/// "Did you mean" for a mistyped command name.

#include <optional>
#include <string>
#include <vector>

namespace rbig::cli {

/// The name closest to typed by edit distance (insertions, deletions, substitutions, and swaps
/// of neighbours), if it is close enough to be a typo: at most 2 edits, and fewer than the
/// typed name's length. Ties keep the earlier name.
std::optional<std::string> closest_name(const std::string& typed,
                                        const std::vector<std::string>& names);

}  // namespace rbig::cli
