"""Two moons: fit RBIG, draw samples, and plot data against samples and what each layer did.

    python3 python/examples/two_moons.py --output two_moons.png

Runs without a display (matplotlib's Agg backend); the figure shows the training rows, as many
rows drawn from the model, the density on a grid, and the information (nats) each layer removed
with the held-out log-likelihood the fit used to choose its depth.
"""

import argparse

import matplotlib

matplotlib.use("Agg")  # no display needed: the figure is only written to a file

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402

import rbig  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="two_moons.png", help="PNG file to write")
    parser.add_argument("--n", type=int, default=2000, help="training rows")
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="threads (default: all cores); never changes the result")
    args = parser.parse_args()

    x, _ = make_moons(n_samples=args.n, noise=0.05, random_state=0)
    test, _ = make_moons(n_samples=args.n, noise=0.05, random_state=1)
    # The defaults: marginal, damping and depth chosen on 10 % held-out rows, then refitted.
    model = rbig.RBIG(random_state=0, n_jobs=args.n_jobs).fit(x)
    draws = model.sample(len(x), random_state=1)
    print(f"{model.n_layers_} layers ({model.marginal_}, damping {model.damping_}); "
          f"stop: {model.stop_reason_}")
    print(f"mean log-density: train {model.score(x):.3f}, test {model.score(test):.3f} nats")
    print(f"total correlation removed: {model.total_correlation_:.3f} nats")

    figure, axes = plt.subplots(1, 4, figsize=(17, 4.2))
    limits = dict(xlim=(-1.6, 2.6), ylim=(-1.1, 1.6))
    axes[0].scatter(x[:, 0], x[:, 1], s=2, color="tab:blue")
    axes[0].set(title=f"data ({len(x)} rows)", **limits)
    axes[1].scatter(draws[:, 0], draws[:, 1], s=2, color="tab:orange")
    axes[1].set(title=f"samples from the model ({len(draws)})", **limits)

    gx, gy = np.meshgrid(np.linspace(*limits["xlim"], 300), np.linspace(*limits["ylim"], 300))
    log_p = model.score_samples(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    axes[2].imshow(np.exp(log_p), origin="lower", cmap="viridis", aspect="auto",
                   extent=(*limits["xlim"], *limits["ylim"]))
    axes[2].set(title="density p(x)", xlabel="x1", ylabel="x2")

    layers = np.arange(1, model.n_layers_ + 1)
    axes[3].bar(layers, model.layer_information_, color="tab:green", width=1.0)
    axes[3].set(title="per layer", xlabel="layer")
    axes[3].set_ylabel("information removed (nats)", color="tab:green")
    if model.validation_curve_ is not None:  # None when the fit held out no rows
        curve = axes[3].twinx()
        curve.plot(layers, model.validation_curve_, color="tab:red")
        curve.set_ylabel("held-out mean log-likelihood (nats)", color="tab:red")
    figure.suptitle(f"RBIG on two moons: {model.n_layers_} layers, {model.marginal_} marginals, "
                    f"damping {model.damping_}, test log-likelihood {model.score(test):.3f} nats")
    figure.tight_layout()
    figure.savefig(args.output, dpi=90)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
