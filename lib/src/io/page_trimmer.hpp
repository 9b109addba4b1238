#pragma once
// The thread behind MappedMatrix's bounded resident memory: every kTrimPeriod it reads the
// process's resident file-backed and shared pages (/proc/self/statm), and when they exceed
// kResidentBudget it drops this process's mappings of every registered region (madvise
// MADV_DONTNEED on a shared file mapping keeps the data in the page cache and the file; the next
// touch maps it back). Dropping pages never changes a value, so where and when it happens does not
// matter to any result. It bounds the resident pages of the regions by the budget plus what the
// process touches in one period, and leaves data smaller than the budget mapped (no faults).
// (Trimming every period instead, whatever the resident size, made a fit 4x slower: every pass
// then faults every page back.)

#include <chrono>
#include <cstddef>

namespace rbig::detail {

inline constexpr std::chrono::milliseconds kTrimPeriod{1};
inline constexpr std::size_t kResidentBudget = std::size_t{64} << 20;

/// Starts trimming [base, base + bytes) (base page-aligned) until unregister_trimmed(base).
void register_trimmed(void* base, std::size_t bytes);
/// Stops trimming the region at base; when this returns, no trim of it is under way.
void unregister_trimmed(void* base);
/// Drops this process's mappings of [base, base + bytes) now.
void trim_pages(void* base, std::size_t bytes);

}  // namespace rbig::detail
