"""Compares two `bench_density --splits S` runs split by split (one configuration per run, e.g.
`--default --no-mixture` against `--default`).

    /usr/bin/python3 bench/paired_splits.py BEFORE.md AFTER.md

For each set it prints the paired difference AFTER − BEFORE of the mean test log p (nats; higher
is better, so a negative difference is a loss) over the splits both runs have: its mean, its
standard error, the worst and best split, and a verdict. Pairing removes the split-to-split spread
of the data itself, which on the small real sets is larger than most method differences.
"""
import math
import re
import sys

ROW = re.compile(r"^\| (?P<set>[\w]+) #(?P<split>\d+) \|[^|]*\|[^|]*\|[^|]*\| (?P<log_p>[-\d.]+) \|")


def scores(path):
    """{set: {split: test log p}} from the per-split rows of one run."""
    table = {}
    with open(path) as f:
        for line in f:
            match = ROW.match(line)
            if match:
                table.setdefault(match["set"], {})[int(match["split"])] = float(match["log_p"])
    return table


def verdict(mean, error):
    if mean - 2 * error > 0:
        return "better"
    if mean + 2 * error < 0:
        return "worse"
    return "within noise (2 SE)"


def main(before_path, after_path):
    before, after = scores(before_path), scores(after_path)
    print("| set | splits | after − before (nats) | SE | worst split | best split | verdict |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, splits in before.items():
        common = sorted(set(splits) & set(after.get(name, {})))
        if not common:
            continue
        diffs = [after[name][s] - splits[s] for s in common]
        n = len(diffs)
        mean = sum(diffs) / n
        error = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1) / n) if n > 1 else math.inf
        print(f"| {name} | {n} | {mean:+.3f} | {error:.3f} | {min(diffs):+.3f} | {max(diffs):+.3f} "
              f"| {verdict(mean, error)} |")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
