#!/usr/bin/python3
"""PyTorch reference of logad's autoencoder detector (lib/model/autoencoder.hpp): the same
network, initialisation, optimiser, batch size, early stopping and score. Change both together.

  d -> h -> k -> h -> d, fully connected; the activation (tanh, default, or relu) follows the two h-wide
  layers, bottleneck and output are linear; h = clamp(d // 2, 8, 64), k = clamp(d // 8, 2, 16).
  Inputs standardised with the training mean/std (ddof 0; a column with std <= 1e-12 (1 + |mean|)
  gets scale 1). Glorot-uniform weights and zero biases, the validation split and (with
  logad_order=True) every epoch's shuffle are drawn from logad's own generator (splitmix64 +
  xoshiro256**, reproduced below), so the initial weights and split are exactly logad's.
  Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), mini-batches of 64, loss = mean squared error over
  the batch's cells; after each epoch the validation loss (10% of the rows) decides: below
  best * (1 - 1e-4) keeps the weights, `patience` (5) epochs without that stop training and the
  best weights are restored. Score = mean squared reconstruction error per row (standardised).

As a module (the benchmark scripts):
    from torch_autoencoder import fit
    model = fit(X_train, seed=42, threads=1, max_epochs=100)   # numpy float64 (rows, d)
    scores = model.score(X_test)                               # numpy, higher = more anomalous

As the oracle of test/model/test_autoencoder.cpp (same weights, split and batch order as logad):
    /usr/bin/python3 scripts/torch_autoencoder.py --history --input x.csv --epochs 5 --seed 42

As a program, epoch times of this reference and of `logad train` on the same matrix:
    /usr/bin/python3 scripts/torch_autoencoder.py --time-epochs --rows 100000 --cols 50 \
        --threads 1 --logad build/apps/logad/logad
logad's epoch time is measured from outside as the difference of its reported fit times for
1 + E and 1 epochs, divided by E (so reading the CSV and the one-off setup are not counted; E grows
tenfold until the difference is at least 0.2 s, as logad reports milliseconds);
the reference's is measured per epoch in-process (batch shuffle, training and validation pass,
as logad does). Both report the median over the runs.
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

_MASK = (1 << 64) - 1
_PARAMS = {"hidden": 0, "bottleneck": 0, "activation": "tanh", "batch_size": 64, "max_epochs": 100,
           "patience": 5, "learning_rate": 1e-3, "validation_fraction": 0.1}


class Rng:
    """logad's generator (include/logad/util/random.hpp): splitmix64 seeding, xoshiro256**."""

    def __init__(self, seed):
        self.s = []
        state = seed & _MASK
        for _ in range(4):
            state = (state + 0x9E3779B97F4A7C15) & _MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & _MASK

    def next(self):
        s = self.s
        result = (self._rotl((s[1] * 5) & _MASK, 7) * 9) & _MASK
        t = (s[1] << 17) & _MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def shuffle(self, v):
        for i in range(len(v), 1, -1):
            j = ((self.next() >> 32) * i) >> 32
            v[i - 1], v[j] = v[j], v[i - 1]


def default_sizes(d):
    return min(max(d // 2, 8), 64), min(max(d // 8, 2), 16)


class Network(torch.nn.Module):
    def __init__(self, d, h, k, activation):
        super().__init__()
        self.layers = torch.nn.ModuleList([torch.nn.Linear(a, b) for a, b in [(d, h), (h, k), (k, h), (h, d)]])
        self.act = torch.relu if activation == "relu" else torch.tanh

    def forward(self, x):
        l0, l1, l2, l3 = self.layers
        return l3(self.act(l2(l1(self.act(l0(x))))))

    def init_like_logad(self, rng):
        with torch.no_grad():
            for layer in self.layers:
                out_f, in_f = layer.weight.shape
                a = math.sqrt(6.0 / (in_f + out_f))
                w = [(2.0 * rng.uniform() - 1.0) * a for _ in range(out_f * in_f)]  # row-major (out, in)
                layer.weight.copy_(torch.from_numpy(np.asarray(w, dtype=np.float32).reshape(out_f, in_f)))
                layer.bias.zero_()


class TorchAutoencoder:
    def __init__(self, mean, scale, net, history, epoch_seconds):
        self.mean, self.scale, self.net = mean, scale, net
        self.history, self.epoch_seconds = history, epoch_seconds

    def _standardise(self, x):
        return torch.from_numpy(((np.asarray(x, dtype=np.float64) - self.mean) / self.scale).astype(np.float32))

    def feature_contributions(self, x, block=2048):
        z = self._standardise(x)
        out = np.empty(tuple(z.shape), dtype=np.float64)
        with torch.no_grad():
            for b in range(0, z.shape[0], block):
                zb = z[b:b + block]
                out[b:b + block] = ((self.net(zb) - zb) ** 2).numpy()
        return out

    def score(self, x):
        return self.feature_contributions(x).mean(axis=1)


def _sq_error_total(net, z, block=2048):
    total = 0.0
    with torch.no_grad():
        for b in range(0, z.shape[0], block):
            zb = z[b:b + block]
            total += float(((net(zb) - zb) ** 2).sum(dtype=torch.float64))
    return total


def fit(x, seed=42, threads=None, logad_order=False, on_epoch=None, **params):
    """Trains on the rows of x (numpy, float64). Parameters as logad's (see _PARAMS).
    logad_order=True also takes every epoch's batch order from logad's generator (slow in Python
    for large data; for cross-checks), otherwise from torch.randperm seeded with the seed."""
    unknown = set(params) - set(_PARAMS)
    if unknown:
        raise ValueError(f"unknown parameters {sorted(unknown)}; known: {sorted(_PARAMS)}")
    p = dict(_PARAMS, **params)
    if threads:
        torch.set_num_threads(threads)
    x = np.asarray(x, dtype=np.float64)
    n, d = x.shape
    mean = x.mean(axis=0)
    sd = np.sqrt(((x - mean) ** 2).mean(axis=0))
    scale = np.where(sd > 1e-12 * (1 + np.abs(mean)), sd, 1.0)
    dh, dk = default_sizes(d)
    h, k = p["hidden"] or dh, p["bottleneck"] or dk

    rng = Rng(seed)
    net = Network(d, h, k, p["activation"])
    net.init_like_logad(rng)
    perm = list(range(n))
    rng.shuffle(perm)
    n_val = int(math.floor(n * p["validation_fraction"]))
    if n_val >= n:
        n_val = 0
    z_all = torch.from_numpy(((x - mean) / scale).astype(np.float32))
    train_z = z_all[torch.tensor(perm[n_val:], dtype=torch.long)].contiguous()
    val_z = z_all[torch.tensor(perm[:n_val], dtype=torch.long)].contiguous()
    n_train = n - n_val

    opt = torch.optim.Adam(net.parameters(), lr=p["learning_rate"], betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(seed)
    order = list(range(n_train))
    bs = p["batch_size"]
    history = {"epochs": 0, "best_epoch": 0, "best_validation_loss": -1.0, "train_loss": [], "validation_loss": []}
    best_loss, best_state, bad = math.inf, None, 0
    epoch_seconds = []
    for epoch in range(1, p["max_epochs"] + 1):
        t0 = time.perf_counter()
        if logad_order:
            rng.shuffle(order)
            idx = torch.tensor(order, dtype=torch.long)
        else:
            idx = torch.randperm(n_train, generator=gen)
        total = 0.0
        for b in range(0, n_train, bs):
            xb = train_z[idx[b:b + bs]]
            loss = ((net(xb) - xb) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss) * xb.shape[0]
        train_loss = total / n_train
        val_loss = _sq_error_total(net, val_z) / (n_val * d) if n_val else -1.0
        epoch_seconds.append(time.perf_counter() - t0)
        history["epochs"] = epoch
        history["train_loss"].append(train_loss)
        if on_epoch:
            on_epoch(epoch, train_loss, val_loss)
        if not n_val:
            continue
        history["validation_loss"].append(val_loss)
        if val_loss < best_loss * (1 - 1e-4):
            best_loss, bad = val_loss, 0
            best_state = {key: v.clone() for key, v in net.state_dict().items()}
            history["best_epoch"] = epoch
        else:
            bad += 1
            if bad >= p["patience"]:
                break
    if n_val:
        net.load_state_dict(best_state)
        history["best_validation_loss"] = best_loss
    else:
        history["best_epoch"] = history["epochs"]
    net.eval()
    return TorchAutoencoder(mean, scale, net, history, epoch_seconds)


def synthetic(rows, cols, seed):
    """Rows on a cols/5-dimensional linear subspace plus noise: something an autoencoder can learn."""
    g = np.random.default_rng(seed)
    r = max(2, cols // 5)
    return g.standard_normal((rows, r)) @ g.standard_normal((r, cols)) + 0.1 * g.standard_normal((rows, cols))


def logad_epoch_seconds(logad, csv, threads, epochs, runs):
    def fit_seconds(max_epochs):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [logad, "train", "--algo", "autoencoder", "-p", f"max_epochs={max_epochs}", "-p", "patience=1000000",
                   "--threads", str(threads), "-o", os.path.join(tmp, "m.json"), csv]
            res = subprocess.run(cmd, capture_output=True, text=True)
            if res.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed: {res.stderr.strip()}")
            m = re.search(r"fitted in ([0-9.]+) s", res.stderr)
            if not m:
                raise RuntimeError(f"no 'fitted in N s' in logad's summary: {res.stderr.strip()}")
            return float(m.group(1))
    one = statistics.median(fit_seconds(1) for _ in range(runs))
    while True:
        many = statistics.median(fit_seconds(1 + epochs) for _ in range(runs))
        # logad prints milliseconds: on small matrices time enough epochs for the difference to mean something.
        if many - one >= 0.2 or epochs >= 5000:
            return (many - one) / epochs
        epochs *= 10


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--time-epochs", action="store_true", help="time training epochs")
    ap.add_argument("--history", action="store_true",
                    help="train on --input with logad's batch order and print {history, scores} as JSON (the C++ test's oracle)")
    ap.add_argument("--activation", default="tanh")
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--cols", type=int, default=50)
    ap.add_argument("--input", help="CSV with a header to time on instead of synthetic rows")
    ap.add_argument("--epochs", type=int, default=5, help="epochs timed (default 5)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="logad runs per epoch count (median)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--logad", help="path of the logad binary to compare with")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    a = ap.parse_args()
    if a.history:
        if not a.input:
            ap.error("--history needs --input")
        x = np.loadtxt(a.input, delimiter=",", skiprows=1, ndmin=2)
        model = fit(x, seed=a.seed, threads=a.threads, logad_order=True, max_epochs=a.epochs, patience=10**6,
                    activation=a.activation)
        print(json.dumps({"history": model.history, "scores": model.score(x).tolist()}))
        return 0
    if not a.time_epochs:
        ap.error("nothing to do: pass --time-epochs or --history")

    if a.input:
        x = np.loadtxt(a.input, delimiter=",", skiprows=1, ndmin=2)
    else:
        x = synthetic(a.rows, a.cols, a.seed)
    torch.set_num_threads(a.threads)
    model = fit(x, seed=a.seed, max_epochs=a.epochs, patience=10**6)
    result = {"rows": x.shape[0], "cols": x.shape[1], "threads": a.threads, "epochs": a.epochs,
              "torch_epoch_s": statistics.median(model.epoch_seconds), "torch_version": torch.__version__}
    if a.logad:
        with tempfile.TemporaryDirectory() as tmp:
            csv = a.input or os.path.join(tmp, "x.csv")
            if not a.input:
                np.savetxt(csv, x, delimiter=",", fmt="%.9g", header=",".join(f"c{i}" for i in range(x.shape[1])),
                           comments="")
            result["logad_epoch_s"] = logad_epoch_seconds(a.logad, csv, a.threads, a.epochs, a.runs)
        result["speedup"] = result["torch_epoch_s"] / result["logad_epoch_s"]
    if a.json:
        print(json.dumps(result))
    else:
        line = (f"{result['rows']} x {result['cols']}, {a.threads} thread(s): "
                f"torch {result['torch_epoch_s'] * 1e3:.1f} ms/epoch")
        if "logad_epoch_s" in result:
            line += f", logad {result['logad_epoch_s'] * 1e3:.1f} ms/epoch, logad is {result['speedup']:.2f}x faster"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
