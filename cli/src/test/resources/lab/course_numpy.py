#!/usr/bin/env python3
"""The numpy originals of the 2-D `ember lab` experiments (init, regularization, optimizers),
written as the deeplearning.ai course code writes them (legacy np.random, (features, examples)
layout, the same seeds and cost formulas), to check `ember lab ... --init-rng numpy --dtype f64`.

    python3 course_numpy.py DATA_DIR EXPERIMENT [SCALE]   ->  JSON on stdout

DATA_DIR holds the course CSVs (football_train/test, circles_train/test, moons_train); SCALE is
the fraction of the published iteration/epoch counts (as ember's --scale). Costs are recorded at
the steps ember records them: every 100 steps for runs of at least 1500, else every total//15,
plus the last step."""
import json, math, sys
import numpy as np


def load(d, name):
    a = np.loadtxt(f"{d}/{name}.csv", delimiter=",", skiprows=1)
    return a[:, :2].T.copy(), a[:, 2:3].T.copy()


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def every_of(total):
    return 100 if total >= 1500 else max(1, total // 15)


def forward(X, p, keep_prob=1.0):
    W1, b1, W2, b2, W3, b3 = p["W1"], p["b1"], p["W2"], p["b2"], p["W3"], p["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = D2 = None
    if keep_prob < 1:
        np.random.seed(1)
        D1 = np.random.rand(A1.shape[0], A1.shape[1])
        D1 = (D1 < keep_prob).astype(int)
        A1 = A1 * D1
        A1 = A1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    if keep_prob < 1:
        D2 = np.random.rand(A2.shape[0], A2.shape[1])
        D2 = (D2 < keep_prob).astype(int)
        A2 = A2 * D2
        A2 = A2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward(X, Y, cache, lambd=0.0, keep_prob=1.0):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = 1. / m * (A3 - Y)
    dW3 = np.dot(dZ3, A2.T) + (lambd / m * W3 if lambd else 0)
    db3 = np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    if keep_prob < 1:
        dA2 = dA2 * D2
        dA2 = dA2 / keep_prob
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = np.dot(dZ2, A1.T) + (lambd / m * W2 if lambd else 0)
    db2 = np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    if keep_prob < 1:
        dA1 = dA1 * D1
        dA1 = dA1 / keep_prob
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = np.dot(dZ1, X.T) + (lambd / m * W1 if lambd else 0)
    db1 = np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def cost_mean(A3, Y):
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    return 1. / m * np.nansum(logprobs)


def cost_sum(A3, Y):
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    return np.sum(logprobs)


def accuracy(X, Y, p):
    a3, _ = forward(X, p)
    return float(np.mean((a3 > 0.5) == Y))


def init_params(dims, how):
    p = {}
    if how != "zeros":
        np.random.seed(3)
    for l in range(1, len(dims)):
        if how == "zeros":
            p["W" + str(l)] = np.zeros((dims[l], dims[l - 1]))
        elif how == "random":
            p["W" + str(l)] = np.random.randn(dims[l], dims[l - 1]) * 10
        elif how == "he":
            p["W" + str(l)] = np.random.randn(dims[l], dims[l - 1]) * np.sqrt(2. / dims[l - 1])
        elif how == "lecun":
            p["W" + str(l)] = np.random.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])
        p["b" + str(l)] = np.zeros((dims[l], 1))
    return p


def full_batch(X, Y, p, lr, iterations, lambd=0.0, keep_prob=1.0):
    costs = []
    every = every_of(iterations)
    m = X.shape[1]
    for i in range(iterations):
        a3, cache = forward(X, p, keep_prob)
        cost = cost_mean(a3, Y)
        if lambd:
            l2 = 1. / m * lambd / 2 * (np.sum(np.square(p["W1"])) + np.sum(np.square(p["W2"]))
                                        + np.sum(np.square(p["W3"])))
            cost = cost + l2
        if i % every == 0 or i == iterations - 1:
            costs.append([i, float(cost)])
        g = backward(X, Y, cache, lambd, keep_prob)
        for l in (1, 2, 3):
            p["W" + str(l)] = p["W" + str(l)] - lr * g["dW" + str(l)]
            p["b" + str(l)] = p["b" + str(l)] - lr * g["db" + str(l)]
    return costs


def random_mini_batches(X, Y, size, seed):
    np.random.seed(seed)
    m = X.shape[1]
    perm = list(np.random.permutation(m))
    sX, sY = X[:, perm], Y[:, perm].reshape((1, m))
    out = []
    for k in range(math.floor(m / size)):
        out.append((sX[:, k * size:(k + 1) * size], sY[:, k * size:(k + 1) * size]))
    if m % size != 0:
        k = math.floor(m / size)
        out.append((sX[:, k * size:], sY[:, k * size:]))
    return out


def optimizer_model(X, Y, dims, optimizer, lr, epochs, decay_interval=None, beta=0.9, beta1=0.9, beta2=0.999,
                    eps=1e-8):
    p = init_params(dims, "he")
    L = len(dims) - 1
    v = {k: np.zeros_like(a) for k, a in p.items()}
    s = {k: np.zeros_like(a) for k, a in p.items()}
    t = 0
    seed = 10
    m = X.shape[1]
    lr0 = lr
    costs = []
    every = every_of(epochs)
    for i in range(epochs):
        seed = seed + 1
        total = 0
        for bx, by in random_mini_batches(X, Y, 64, seed):
            a3, cache = forward(bx, p)
            total += cost_sum(a3, by)
            g = backward(bx, by, cache)
            if optimizer == "adam":
                t = t + 1
            for l in range(1, L + 1):
                for n in ("W", "b"):
                    k, dk = n + str(l), "d" + n + str(l)
                    if optimizer == "gd":
                        p[k] = p[k] - lr * g[dk]
                    elif optimizer == "momentum":
                        v[k] = beta * v[k] + (1 - beta) * g[dk]
                        p[k] = p[k] - lr * v[k]
                    else:
                        v[k] = beta1 * v[k] + (1 - beta1) * g[dk]
                        vc = v[k] / (1 - np.power(beta1, t))
                        s[k] = beta2 * s[k] + (1 - beta2) * np.power(g[dk], 2)
                        sc = s[k] / (1 - np.power(beta2, t))
                        p[k] = p[k] - lr * vc / (np.sqrt(sc) + eps)
        cost_avg = total / m
        if decay_interval:
            lr = lr0 / (1 + 1 * np.floor(i / decay_interval))
        if i % every == 0 or i == epochs - 1:
            costs.append([i, float(cost_avg)])
    return p, costs


def main():
    d, exp = sys.argv[1], sys.argv[2]
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    scaled = lambda n: max(1, int(round(n * scale)))
    out = []
    if exp == "init":
        X, Y = load(d, "circles_train")
        Xt, Yt = load(d, "circles_test")
        for how in ("zeros", "random", "he"):
            p = init_params([2, 10, 5, 1], how)
            costs = full_batch(X, Y, p, 0.01, scaled(15000))
            out.append({"name": how, "costs": costs, "train_accuracy": accuracy(X, Y, p),
                        "test_accuracy": accuracy(Xt, Yt, p)})
    elif exp == "regularization":
        X, Y = load(d, "football_train")
        Xt, Yt = load(d, "football_test")
        for name, lambd, keep in (("none", 0.0, 1.0), ("l2", 0.7, 1.0), ("dropout", 0.0, 0.86)):
            p = init_params([2, 20, 3, 1], "lecun")
            costs = full_batch(X, Y, p, 0.3, scaled(30000), lambd, keep)
            out.append({"name": name, "costs": costs, "train_accuracy": accuracy(X, Y, p),
                        "test_accuracy": accuracy(Xt, Yt, p)})
    elif exp == "optimizers":
        X, Y = load(d, "moons_train")
        for name, opt, lr, decay in (("gd", "gd", 0.0007, False), ("momentum", "momentum", 0.0007, False),
                                     ("adam", "adam", 0.0007, False), ("gd+decay", "gd", 0.1, True),
                                     ("momentum+decay", "momentum", 0.1, True), ("adam+decay", "adam", 0.01, True)):
            p, costs = optimizer_model(X, Y, [2, 5, 2, 1], opt, lr, scaled(5000),
                                       max(1, scaled(1000)) if decay else None)
            out.append({"name": name, "costs": costs, "train_accuracy": accuracy(X, Y, p)})
    else:
        sys.exit("unknown experiment " + exp)
    print(json.dumps({"experiment": exp, "scale": scale, "variants": out}))


if __name__ == "__main__":
    main()
