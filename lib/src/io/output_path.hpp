#pragma once
// Where an atomic write (atomic_file.cpp) puts its temporary file and its result: the target
// behind symbolic links, the temporary's name, and temporaries left by killed writers.

#include <filesystem>

namespace rbig::detail {

/// The file a write to `path` should replace: `path` itself, or, when it is a symbolic link,
/// the file it points to (followed through chains of links, relative ones from the link's own
/// folder; the target need not exist), as cp and editors do. Throws Error after 40 links.
std::filesystem::path resolve_output_path(const std::filesystem::path& path);

/// The folder a temporary for `target` goes in: rename() cannot cross file systems.
std::filesystem::path output_folder(const std::filesystem::path& target);

/// `.<filename>.tmp-<pid>-<counter>`: hidden, in the target's folder, unique across processes
/// and threads.
std::filesystem::path temporary_name(const std::filesystem::path& target);

/// Removes temporaries of `target` (named as temporary_name names them) whose process no longer
/// exists: what a writer killed by SIGKILL or a power cut left. Best effort, errors ignored. A
/// writer in another PID namespace sharing the folder looks dead here: its temporary is removed
/// and its final rename fails with an error; the target itself is never touched.
void remove_stale_temporaries(const std::filesystem::path& target);

}  // namespace rbig::detail
