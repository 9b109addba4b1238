#!/usr/bin/python3
"""Writes the model fuzzer's seed corpus (fuzz/corpus/model/) from small fits by `rbig fit`.

Usage, after a change of the model file format:
  python3 fuzz/make_model_seeds.py build/apps/rbig

Each model becomes NAME_raw.bin (byte 0x01 + the whole file) and NAME_payload.bin (byte 0x00 +
the payload, which the fuzzer wraps in a header of the current version and a valid CRC-32). One
more seed, f_kde_v3_raw.bin, is the kde model rewritten as a version 3 file (the same bytes
without the kde bandwidth rule byte), so the fuzzer also walks the older layout.
"""
import math
import os
import random
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
CORPUS = os.path.join(HERE, "corpus", "model")
HEADER = 8 + 4 + 8            # magic, u32 version, u64 payload size
RULE_OFFSET = HEADER + 16 + 55  # dims, layers, then the options before the rule byte

def board_rows(n):
    """Uniform on the 8 dark squares of a 4x4 board: hard edges, where tree layers are kept."""
    rng = random.Random(7)
    cells = [(i, j) for i in range(4) for j in range(4) if (i + j) % 2 == 0]
    return [[c[0] - 2 + rng.random(), c[1] - 2 + rng.random()]
            for c in (rng.choice(cells) for _ in range(n))]


def student_t_rows(n):
    """A 2-D Student-t (nu = 3): elliptical, where radial layers are kept."""
    rng = random.Random(6)
    rows = []
    for _ in range(n):
        scale = math.sqrt(3.0 / sum(rng.gauss(0, 1) ** 2 for _ in range(3)))
        rows.append([scale * rng.gauss(0, 1), scale * rng.gauss(0, 1)])
    return rows


def funnel_rows(n):
    """Neal's funnel, v ~ N(0, 1.5^2), x | v ~ N(0, e^v): where coupling layers are kept."""
    rng = random.Random(5)
    rows = []
    for _ in range(n):
        v = 1.5 * rng.gauss(0, 1)
        rows.append([v, math.exp(0.5 * v) * rng.gauss(0, 1)])
    return rows


# Generated data sets, by the name FITS gives instead of a data file.
GENERATED = {"board": board_rows, "student_t": student_t_rows, "funnel": funnel_rows}

# name, data file (or generated set), rows kept (after the header line), rbig fit options. The
# last four each keep a layer of their kind (checked with Python's RBIG.layer_kinds_).
FITS = [
    ("f_hist", "faithful.csv", 29, ["--marginal", "histogram", "--damping", "1", "--max-layers", "3",
                                    "--validation", "0"]),
    ("f_gauss", "faithful.csv", 29, ["--marginal", "gaussian", "--rotation", "random", "--layers", "2"]),
    ("iris", "iris.csv", 39, ["--marginal", "histogram", "--bins", "5", "--max-layers", "3",
                              "--validation", "0"]),
    ("f_kde", "faithful.csv", 29, ["--marginal", "kde", "--bandwidth", "plugin", "--damping", "0.5",
                                   "--layers", "2"]),
    ("f_spline", "faithful.csv", 29, ["--marginal", "spline", "--rotation", "ica", "--damping", "1",
                                      "--layers", "2"]),
    # Layer kinds 1-3 (model formats 6-8): radial, tree, Gaussian mixture.
    ("t_radial", "student_t", 400, ["--marginal", "histogram", "--radial", "--damping", "1",
                                    "--max-layers", "3", "--validation", "0"]),
    ("b_tree", "board", 400, ["--marginal", "kde", "--tree", "--damping", "1",
                              "--max-layers", "2", "--validation", "0"]),
    ("f_mixture", "faithful.csv", 272, ["--marginal", "kde", "--mixture", "--damping", "1",
                                        "--max-layers", "2"]),
    # Layer kind 4 (model format 9): coupling.
    ("n_coupling", "funnel", 400, ["--marginal", "kde", "--coupling", "--no-mixture",
                                   "--damping", "0.5", "--max-layers", "2", "--validation", "0"]),
]


def with_crc(body):
    return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)


def as_version_3(model):
    body = bytearray(model[:-4])
    del body[RULE_OFFSET]
    struct.pack_into("<I", body, 8, 3)
    payload_size = struct.unpack_from("<Q", body, 12)[0]
    struct.pack_into("<Q", body, 12, payload_size - 1)
    return with_crc(bytes(body))


def main(rbig):
    os.makedirs(CORPUS, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, data, rows, options in FITS:
            csv = os.path.join(scratch, name + ".csv")
            if data in GENERATED:
                with open(csv, "w") as out:
                    out.write("x1,x2\n")
                    out.writelines(f"{a!r},{b!r}\n" for a, b in GENERATED[data](rows))
            else:
                with open(os.path.join(DATA, data)) as source, open(csv, "w") as out:
                    out.writelines(line for _, line in zip(range(rows + 1), source))
            model_path = os.path.join(scratch, name + ".rbig")
            subprocess.run([rbig, "fit", csv, "-o", model_path, "-q", "--threads", "1"] + options,
                           check=True,
                           stdout=subprocess.DEVNULL)
            with open(model_path, "rb") as f:
                model = f.read()
            with open(os.path.join(CORPUS, name + "_raw.bin"), "wb") as f:
                f.write(b"\x01" + model)
            with open(os.path.join(CORPUS, name + "_payload.bin"), "wb") as f:
                f.write(b"\x00" + model[HEADER:-4])
            if name == "f_kde":
                with open(os.path.join(CORPUS, name + "_v3_raw.bin"), "wb") as f:
                    f.write(b"\x01" + as_version_3(model))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
