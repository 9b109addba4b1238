#!/usr/bin/env bash
# `mpirun -np K rbig score|transform|inverse|sample` against one process (issue 18). Run by CTest
# (label mpi):   mpi_rows_test.sh RBIG CASE
#   CASE: score | transform | sample | npy | bad-row | signal | refused | empty-parts
# Each process computes its own rows and process 0 writes one output in row order: the output of
# 2 and 3 processes must be the one-process output byte for byte (CSV and NPY).
set -u
rbig="$1"
case_name="$2"
# shellcheck source=mpi_common.sh
source "$(dirname "$0")/mpi_common.sh"

setup() {
  make_data 500 21 "$work/train.csv"
  make_data 1500 22 "$work/data.csv"
  "$rbig" fit "$work/train.csv" -o "$work/model.rbig" --threads 1 --max-layers 6 -q ||
    fail "the fit failed"
}

# run_same NAME ARGS...: the command in one process writes $work/one.EXT, under mpirun with 2
# and 3 processes $work/k2.EXT and $work/k3.EXT (ARGS hold OUT where the output path goes);
# every output must equal the first.
run_same() {
  local ext="$1"
  shift
  "$rbig" "${@//OUT/$work/one.$ext}" --threads 1 -q || fail "one process: $* failed"
  for k in 2 3; do
    mpi "$k" "$rbig" "${@//OUT/$work/k$k.$ext}" --threads 1 -q 2> "$work/err" ||
      { cat "$work/err" >&2; fail "$k processes: $* failed"; }
    cmp -s "$work/one.$ext" "$work/k$k.$ext" ||
      fail "$k processes: $* wrote another output than one process ($(cmp "$work/one.$ext" "$work/k$k.$ext"))"
  done
  echo "same output from 1, 2 and 3 processes: $* ($(wc -c < "$work/one.$ext") bytes)"
}

case "$case_name" in
  score)
    setup
    run_same csv score "$work/model.rbig" "$work/data.csv" -o OUT
    run_same npy score "$work/model.rbig" "$work/data.csv" -o OUT
    # Without -o the CSV goes to standard output, in row order too.
    mpi 3 "$rbig" score "$work/model.rbig" "$work/data.csv" --threads 1 > "$work/stdout.csv" ||
      fail "score to stdout failed"
    cmp -s "$work/one.csv" "$work/stdout.csv" || fail "score on stdout differs"
    mpi 2 "$rbig" score "$work/model.rbig" "$work/data.csv" --threads 1 --json > "$work/json" ||
      fail "score --json failed"
    grep -q '"n":1500' "$work/json" || fail "score --json does not count every row: $(cat "$work/json")"
    ;;
  transform)
    setup
    run_same csv transform "$work/model.rbig" "$work/data.csv" -o OUT
    cp "$work/one.csv" "$work/latent.csv"
    run_same csv inverse "$work/model.rbig" "$work/latent.csv" -o OUT
    head -1 "$work/k3.csv" | grep -q '^a,b,c$' || fail "the header was not kept"
    run_same npy transform "$work/model.rbig" "$work/data.csv" -o OUT
    ;;
  sample)
    setup
    run_same csv sample "$work/model.rbig" -n 2500 --seed 7 -o OUT
    run_same npy sample "$work/model.rbig" -n 2500 --seed 7 -o OUT
    ;;
  bad-row)
    setup
    # Line 1201 of the file (the header is line 1) lies in the third process's part.
    awk 'NR == 1201 { $0 = "0.5,abc,1" } { print }' "$work/data.csv" > "$work/bad.csv"
    for command in score transform; do
      expect_error "$command" "bad.csv:1201:2" "$work/out.csv" \
        mpi 3 "$rbig" "$command" "$work/model.rbig" "$work/bad.csv" -o "$work/out.csv" --threads 1
      [ "$(grep -c 'rbig: ' "$work/err")" -eq 1 ] || fail "$command: expected the message once"
    done
    # A model with other dimensions: refused by every process alike, nothing written.
    cut -d, -f1,2 "$work/data.csv" > "$work/two.csv"
    expect_error "wrong width" "two.csv has 2 columns" "$work/out.csv" \
      mpi 2 "$rbig" score "$work/model.rbig" "$work/two.csv" -o "$work/out.csv"
    ;;
  npy)
    setup
    # The same rows as .npy and as CSV (the CSV's shortest round-trip numbers read back exactly).
    "$rbig" sample "$work/model.rbig" -n 1500 --seed 3 -o "$work/data.npy" --threads 1 -q
    "$rbig" sample "$work/model.rbig" -n 1500 --seed 3 -o "$work/data.csv" --threads 1 -q
    run_same csv score "$work/model.rbig" "$work/data.npy" -o OUT
    "$rbig" score "$work/model.rbig" "$work/data.csv" -o "$work/from_csv.csv" -q
    cmp -s "$work/one.csv" "$work/from_csv.csv" || fail "scores of the .npy and the CSV differ"
    run_same npy transform "$work/model.rbig" "$work/data.npy" -o OUT
    # A fit of .npy rows split among 3 processes: the one-process fit up to rounding.
    "$rbig" fit "$work/data.npy" -o "$work/one.rbig" --threads 1 --max-layers 6 -q ||
      fail "the one-process fit of the .npy failed"
    mpi 3 "$rbig" fit "$work/data.npy" -o "$work/many.rbig" --threads 1 --max-layers 6 -q \
      2> "$work/err" || { cat "$work/err" >&2; fail "the 3-process fit of the .npy failed"; }
    "$rbig" score "$work/one.rbig" "$work/train.csv" -o "$work/s1.csv" -q
    "$rbig" score "$work/many.rbig" "$work/train.csv" -o "$work/s3.csv" -q
    worst="$(max_relative "$work/s3.csv" "$work/s1.csv")"
    echo "fit of the .npy on 3 processes: largest relative difference of log-densities $worst"
    awk -v w="$worst" 'BEGIN { exit !(w < 1e-9) }' || fail "log-densities differ by $worst"
    # NaN at row 1201, column 2 (in the third process's rows): named by row of the whole array.
    # The data starts after the 10-byte prefix of version 1.0 and the header length at byte 8.
    offset=$(( 10 + $(od -An -tu2 -j8 -N2 "$work/data.npy") ))
    cp "$work/data.npy" "$work/bad.npy"
    printf '\x00\x00\x00\x00\x00\x00\xf8\x7f' |
      dd of="$work/bad.npy" bs=1 seek=$(( offset + (1200 * 3 + 1) * 8 )) conv=notrunc 2> /dev/null
    expect_error "bad .npy" "bad.npy: row 1201, column 2" "$work/out.csv" \
      mpi 3 "$rbig" score "$work/model.rbig" "$work/bad.npy" -o "$work/out.csv"
    ;;
  signal)
    setup
    # mpirun itself, not a shell function: a background shell ignores SIGINT, so SIGTERM.
    mpirun --oversubscribe -np 2 "$rbig" sample "$work/model.rbig" -n 8000000 \
      -o "$work/big.csv" --threads 1 -q 2> "$work/err" &
    launcher=$!
    sleep 1.5
    kill -TERM "$launcher"
    wait "$launcher"
    status=$?
    cat "$work/err"
    [ "$status" -ne 0 ] || fail "the interrupted sample exited 0 (did it finish within 1.5 s?)"
    [ ! -e "$work/big.csv" ] || fail "an interrupted sample left an output"
    ls "$work" | grep -q "big.csv" && fail "a temporary output file was left"
    ;;
  empty-parts)
    # More processes than rows: a process whose part of the file (or of the sample) holds no row
    # adds none to the output, which stays the one-process output.
    setup
    head -6 "$work/data.csv" > "$work/five.csv"
    for k in 8 16; do
      for command in score transform; do
        "$rbig" "$command" "$work/model.rbig" "$work/five.csv" -o "$work/one.csv" --threads 1 -q
        mpi "$k" "$rbig" "$command" "$work/model.rbig" "$work/five.csv" -o "$work/many.csv" \
          --threads 1 -q 2> "$work/err" || { cat "$work/err" >&2; fail "$command on $k processes"; }
        cmp -s "$work/one.csv" "$work/many.csv" || fail "$command on $k processes: another output"
      done
      "$rbig" sample "$work/model.rbig" -n 5 --seed 4 -o "$work/one.csv" --threads 1 -q
      mpi "$k" "$rbig" sample "$work/model.rbig" -n 5 --seed 4 -o "$work/many.csv" --threads 1 -q \
        2> "$work/err" || { cat "$work/err" >&2; fail "sample on $k processes"; }
      cmp -s "$work/one.csv" "$work/many.csv" || fail "sample on $k processes: another output"
    done
    # A file of a header alone: no rows in any part, the one-process message.
    head -1 "$work/data.csv" > "$work/header.csv"
    expect_error "header only" "no data rows" "$work/out.csv" \
      mpi 4 "$rbig" score "$work/model.rbig" "$work/header.csv" -o "$work/out.csv"
    [ "$(grep -c 'rbig: ' "$work/err")" -eq 1 ] || fail "header only: expected the message once"
    ;;
  refused)
    make_data 300 23 "$work/data.csv"
    for k in 1 2; do
      for command in entropy tc; do
        mpi "$k" "$rbig" "$command" "$work/data.csv" > "$work/out" 2> "$work/err"
        status=$?
        cat "$work/err"
        [ "$status" -eq 1 ] || fail "$command on $k processes: exit status $status, expected 1"
        grep -q "do not run under mpirun" "$work/err" || fail "$command: no clear refusal"
        [ ! -s "$work/out" ] || fail "$command: printed a result"
      done
    done
    "$rbig" tc --help | grep -q "Not under mpirun" || fail "tc --help does not say it"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
