// Tests of the rbig command: each runs the built binary and checks its exit status and output.
// Every test works in its own temporary folder, removed afterwards (support.hpp).
// No ";" in test names: doctest_discover_tests would split the name and run nothing.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
