#pragma once
// How the rbig program asks the C library to manage its heap (a process-wide choice, which is the
// program's to make and not the library's).

namespace rbig::cli {

/// Keeps freed memory for reuse instead of returning it to the kernel after every layer. With
/// glibc's defaults each layer's large temporaries (row blocks of the rotation, the covariance
/// pass) are mapped fresh and every page is faulted in and zeroed again: at 10⁴ × 100 a 20-layer
/// fit took 70,700 page faults and 1.6 s of CPU, against 5,900 and 0.75 s with this (README,
/// "Speed"). Peak memory is unchanged: the same blocks are reused, none is added. No effect with
/// other C libraries.
void keep_freed_memory();

}  // namespace rbig::cli
