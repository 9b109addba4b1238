#pragma once
// RBIG_ALWAYS_INLINE: a kernel body that must be inlined into each of its dispatch clones
// (core/vector_isa.hpp), so that each clone compiles it for its own instruction set.

#if defined(__GNUC__)
#define RBIG_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define RBIG_ALWAYS_INLINE inline
#endif
