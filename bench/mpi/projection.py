#!/usr/bin/env python3
"""Projects the per-layer cost of a distributed fit to many processes from bench_mpi lines.

    (mpirun -np 1 bench_mpi 1000000 10 5; mpirun -np 2 bench_mpi 1000000 10 5;
     mpirun -np 1 bench_mpi 20000 100 3; mpirun -np 2 bench_mpi 20000 100 3) | projection.py

Model of one layer on K processes holding N/K rows each:
  compute = (seconds per row per layer at K = 1, measured at this D) * N / K
  reduce  = R * latency * log2(K) + 2 * bytes / bandwidth      (tree latency, ring bandwidth)
with R the reductions per layer and bytes the bytes per layer (both measured, independent of
N), latency the 8-byte MPI_Allreduce and bandwidth 1 MB over the 1 MB MPI_Allreduce time, both
measured at K = 2 on this machine (shared memory: a cluster network has ~10x the latency).
"""
import math
import sys

runs = []
for line in sys.stdin:
    if not line.startswith("K="):
        continue
    fields = dict(f.split("=") for f in line.split())
    if fields.pop("mode") == "mpi":
        runs.append({k: float(v) for k, v in fields.items()})

def find(k, d):
    return [r for r in runs if r["K"] == k and r["D"] == d]

print("| N | D | K | compute per layer | reductions per layer | bytes per layer | reduce time per layer | layer total |")
print("|---|---|---|---|---|---|---|---|")
for d in sorted({r["D"] for r in runs}):
    one, two = find(1, d), find(2, d)
    if not one or not two:
        continue
    one, two = one[0], two[0]
    per_row = one["fit_s"] / (one["layers"] + 1) / one["N"]
    latency = two["allreduce_8B_us"] * 1e-6
    bandwidth = 1048576 / (two["allreduce_1MB_ms"] * 1e-3)
    calls, volume = two["reductions_per_layer"], two["bytes_per_layer"]
    for k in (64, 1024):
        n = 1e9
        compute = per_row * n / k
        reduce = calls * latency * math.log2(k) + 2 * volume / bandwidth
        print(f"| 1e9 | {int(d)} | {k} | {compute:.3g} s | {calls:.0f} | {volume / 1e6:.3g} MB | "
              f"{reduce:.3g} s | {compute + reduce:.3g} s |")
