#!/usr/bin/env bash
# `mpirun -np K rbig fit` against the fit of one process (issue 18). Run by CTest (label mpi):
#   mpi_fit_test.sh RBIG CASE        CASE: processes-2 | processes-3 | processes-16 | bad-row |
#                                          missing-file | mixture | coupling | signal
# The same file fitted by K processes must give the same model file, byte for byte, as one process
# (issue 18: every sum of the fit runs over fixed global row blocks and is added exactly, so the
# reduction order does not depend on K), for the default fit and for fixed histogram, kde and
# spline configurations; the log-densities of other rows are then equal too.
set -u
rbig="$1"
case_name="$2"
# shellcheck source=mpi_common.sh
source "$(dirname "$0")/mpi_common.sh"

json_field() { grep -o "\"$2\":[^,}]*" "$1" | head -1; }

# Fits train.csv with one process and with K, with the options given, and compares the files.
compare_fit() {
  local k="$1" label="$2"
  shift 2
  "$rbig" fit "$work/train.csv" -o "$work/one.rbig" --threads 1 --max-layers 15 -q "$@" ||
    fail "the one-process fit ($label) failed"
  mpi "$k" "$rbig" fit "$work/train.csv" -o "$work/many.rbig" --threads 1 --max-layers 15 -q "$@" \
    2> "$work/err" || { cat "$work/err" >&2; fail "the $k-process fit ($label) failed"; }
  "$rbig" info "$work/one.rbig" --json > "$work/one.json"
  "$rbig" info "$work/many.rbig" --json > "$work/many.json"
  for field in layers marginal damping bandwidth n; do
    [ "$(json_field "$work/one.json" $field)" = "$(json_field "$work/many.json" $field)" ] ||
      fail "$label: $field differs: $(json_field "$work/one.json" $field) vs $(json_field "$work/many.json" $field)"
  done
  "$rbig" score "$work/one.rbig" "$work/test.csv" -o "$work/one_scores.csv" 2> /dev/null
  "$rbig" score "$work/many.rbig" "$work/test.csv" -o "$work/many_scores.csv" 2> /dev/null
  worst="$(max_relative "$work/many_scores.csv" "$work/one_scores.csv")"
  echo "$k processes, $label: $(json_field "$work/one.json" layers), largest relative difference of the test log-densities $worst"
  cmp "$work/one.rbig" "$work/many.rbig" || fail "$label: the $k-process model differs from the one-process model"
}

compare_processes() {
  local k="$1"
  make_data 900 11 "$work/train.csv"
  make_data 200 12 "$work/test.csv"
  compare_fit "$k" default
  compare_fit "$k" histogram --marginal histogram --damping 1 --validation 0
  compare_fit "$k" kde --marginal kde --damping 1 --validation 0
  compare_fit "$k" spline --marginal spline --damping 1 --validation 0
}

case "$case_name" in
  processes-2) compare_processes 2 ;;
  processes-3) compare_processes 3 ;;
  processes-16)
    # More processes than the row blocks of some of the fit's row sets allow each: 400 rows
    # hold out 40 (blocks of 2, parts of 2 or 3), so some process holds no block of them (it
    # stopped the fit with "too few for 16 processes" before); it then adds nothing to their
    # sums, and the model stays the one-process model, byte for byte.
    make_data 400 18 "$work/train.csv"
    make_data 200 19 "$work/test.csv"
    compare_fit 16 "kde, 10 % held out" --marginal kde --damping 0.5
    make_data 2000 20 "$work/train.csv"
    compare_fit 16 spline --marginal spline --damping 1 --validation 0
    # 40 rows: most of the 16 processes read one to three lines of the file, some none.
    head -41 "$work/train.csv" > "$work/small.csv"
    "$rbig" fit "$work/small.csv" -o "$work/one.rbig" --threads 1 --marginal histogram \
      --damping 1 --layers 2 -q || fail "the one-process fit of 40 rows failed"
    mpi 16 "$rbig" fit "$work/small.csv" -o "$work/many.rbig" --threads 1 --marginal histogram \
      --damping 1 --layers 2 -q 2> "$work/err" || { cat "$work/err" >&2; fail "16 processes, 40 rows"; }
    cmp "$work/one.rbig" "$work/many.rbig" || fail "40 rows: the 16-process model differs"
    ;;
  bad-row)
    make_data 600 13 "$work/train.csv"
    # Line 551 of the file (the header is line 1) lies in the third process's part.
    awk 'NR == 551 { $0 = "0.5,abc,1" } { print }' "$work/train.csv" > "$work/bad.csv"
    expect_error "bad row" "bad.csv:551:2" "$work/bad.rbig" \
      mpi 3 "$rbig" fit "$work/bad.csv" -o "$work/bad.rbig" --threads 1
    [ "$(grep -c 'rbig: ' "$work/err")" -eq 1 ] || fail "expected the message once"
    ;;
  missing-file)
    expect_error "missing file" "none.csv" "$work/none.rbig" \
      mpi 2 "$rbig" fit "$work/none.csv" -o "$work/none.rbig"
    ;;
  mixture)
    # The mixture's EM runs on rows gathered by global position (fit/mixture_rows.hpp): the
    # same model from 2 and 3 processes (the split, the K sweep, the offer and the refit).
    # Seed 17: the mixture is kept by a clear margin (held-out 0.78 with it, 0.24 without).
    make_data 900 17 "$work/train.csv"
    make_data 200 16 "$work/test.csv"
    compare_fit 2 "kde mixture" --marginal kde --damping 1 --mixture
    grep -q "without, used" "$work/one.json" || fail "the mixture layer was not kept"
    compare_fit 3 "kde mixture" --marginal kde --damping 1 --mixture
    ;;
  coupling)
    # Coupling maps are fitted on rows gathered by global position (fit/coupling_step.hpp) and
    # their sums are exact: the same model from 2 processes with coupling offered to every layer,
    # and for the default fit, whose coupling challenger is offered from 1,000 training rows.
    make_data 1500 21 "$work/train.csv"
    make_data 200 22 "$work/test.csv"
    compare_fit 2 "kde coupling" --marginal kde --damping 0.5 --no-mixture --coupling
    grep -q '"coupling":true' "$work/one.json" || fail "the coupling fit does not say coupling"
    compare_fit 2 "default, coupling challenger"
    grep -q "coupling challenger" "$work/one.json" || fail "the coupling challenger was not tried"
    ;;
  signal)
    make_data 60000 14 "$work/train.csv"
    # mpirun itself, not a shell function: a background shell ignores SIGINT, so SIGTERM.
    mpirun --oversubscribe -np 2 "$rbig" fit "$work/train.csv" -o "$work/big.rbig" --threads 1 \
      --layers 5000 -q 2> "$work/err" &
    launcher=$!
    sleep 2
    kill -TERM "$launcher"
    wait "$launcher"
    status=$?
    cat "$work/err"
    [ "$status" -ne 0 ] || fail "the interrupted fit exited 0"
    [ ! -e "$work/big.rbig" ] || fail "an interrupted fit left a model"
    ls "$work" | grep -q "big.rbig" && fail "a temporary model file was left"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
