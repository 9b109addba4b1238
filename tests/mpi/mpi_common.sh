# Shared by the mpi test scripts (sourced): the scratch folder, mpirun as root, the data.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# CI runs as root: Open MPI refuses that unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { mpirun --oversubscribe -np "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# Runs a command that must fail: exit status 1, PATTERN in its stderr ($work/err, echoed), and
# no file at OUTPUT. Usage: expect_error LABEL PATTERN OUTPUT COMMAND...
expect_error() {
  local label=$1 pattern=$2 output=$3 status
  shift 3
  "$@" 2> "$work/err"
  status=$?
  cat "$work/err"
  [ "$status" -eq 1 ] || fail "$label: exit status $status, expected 1"
  grep -q "$pattern" "$work/err" || fail "$label: the message does not contain $pattern"
  [ ! -e "$output" ] || fail "$label: an output was written"
}

# N rows of a 3-D nonlinear sample with a header a,b,c, deterministic (awk's seeded generator).
make_data() {
  awk -v n="$1" -v seed="$2" 'BEGIN {
    srand(seed); print "a,b,c";
    for (i = 0; i < n; i++) {
      u = rand(); v = rand(); w = rand(); t = rand();
      g = sqrt(-2 * log(u + 1e-12)) * cos(6.283185307179586 * v);
      h = sqrt(-2 * log(w + 1e-12)) * cos(6.283185307179586 * t);
      printf "%.17g,%.17g,%.17g\n", g, 0.5 * g * g + 0.3 * h, exp(0.4 * h) }
  }' > "$3"
}

# Largest relative difference between two one-column CSV files of numbers (header skipped).
max_relative() {
  paste -d, "$1" "$2" | awk -F, 'NR > 1 {
    d = $1 - $2; if (d < 0) d = -d; m = $2; if (m < 0) m = -m; if (m < 1) m = 1;
    if (d / m > worst) worst = d / m } END { printf "%.3g\n", worst + 0 }'
}
