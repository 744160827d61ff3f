#pragma once
// The autoencoder detector's model and training loop, apart from the Detector glue so that a
// timing program and the tests can drive it. scripts/torch_autoencoder.py is the PyTorch
// reference of exactly this recipe; change both together.
//
// Network: d -> h -> k -> h -> d, fully connected; the activation (tanh by default, or ReLU)
// follows the two h-wide layers; the bottleneck and the output are linear, so with a linear
// subspace the network can at least learn what PCA would. tanh is the default because with the
// small widths below ReLU units can die: on the HDFS session counts one seed in five ended in a
// poor model with ReLU and none with tanh (mean ROC-AUC 0.76 either way, same cost per epoch).
// Defaults from the number of features d:
//   h = clamp(d / 2, 8, 64), k = clamp(d / 8, 2, 16)   (integer division)
//
// Parameters (JSON, all optional):
//   hidden               h                                          (0 = the default above)
//   bottleneck           k                                          (0 = the default above)
//   activation           "tanh" | "relu"                            ("tanh")
//   batch_size           rows per mini-batch                        (64)
//   max_epochs           passes over the training rows at most      (100)
//   patience             epochs without a better validation loss before stopping (5)
//   learning_rate        Adam's step size; betas 0.9/0.999, eps 1e-8 (0.001)
//   validation_fraction  share of rows held out for early stopping  (0.1; 0 = none, run all epochs)
//
// Recipe (deterministic for a seed, see util/random.hpp): inputs are standardised with the
// training mean and standard deviation (population, ddof 0); a column whose deviation is below
// 1e-12 * (1 + |mean|) is constant and gets scale 1, so an unseen value there still counts.
// One generator seeded with the seed draws, in this order: the Glorot-uniform weights (zero
// biases), the validation split (a shuffle of the row indices; the first floor(n * fraction) are
// held out), then one shuffle of the training rows per epoch. Loss = mean squared error over
// all cells of a batch. After each epoch the validation loss is computed; a loss below
// best * (1 - 1e-4) is an improvement and its weights are kept; after `patience` epochs without
// one, training stops and the best weights are restored.
//
// Score of a row = mean over features of the squared reconstruction error in standardised space;
// the per-feature squared errors are its feature contributions. A row scores the same alone or in
// any batch, on any number of threads.
//
// Threads: scoring splits rows into fixed blocks over `threads`. Training uses one thread: a
// batch of 64 rows is ~0.1 ms of work for d = 50, too little to split across threads with a
// gain, and one thread already trains several times faster than PyTorch (see the script).
#include "dense.hpp"

#include <logad/model/detector.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <vector>

namespace logad::model::autoencoder {

struct Params {
    int hidden = 0;
    int bottleneck = 0;
    dense::Activation activation = dense::Activation::tanh;
    int batch_size = 64;
    int max_epochs = 100;
    int patience = 5;
    double learning_rate = 1e-3;
    double validation_fraction = 0.1;
};

Params parse_params(const nlohmann::json& params);  // throws UsageError
nlohmann::json params_json(const Params& p);

// The default layer widths for d features.
int default_hidden(int d);
int default_bottleneck(int d);

struct History {
    int epochs = 0;                     // epochs run
    int best_epoch = 0;                 // 1-based epoch whose weights were kept
    double best_validation_loss = -1;   // -1 without a validation split
    std::vector<double> train_loss;     // per epoch, mean over the epoch's batches' cells
    std::vector<double> validation_loss;
};

struct Model {
    std::vector<double> mean, scale;    // standardisation, one per feature
    dense::Network<float> net;
    History history;

    int n_features() const { return static_cast<int>(mean.size()); }
    bool fitted() const { return !mean.empty(); }
};

// Called after every epoch (1-based) with its training and validation losses; for timing.
using EpochCallback = std::function<void(int epoch, double train_loss, double validation_loss)>;

// x: finite values, at least 2 rows (checked by the caller).
Model train(const Matrix& x, const Params& p, std::uint64_t seed, const EpochCallback& on_epoch = {});

// Squared reconstruction errors in standardised space, one row per row of x.
Matrix squared_errors(const Model& m, const Matrix& x, int threads);
// Their row means: the anomaly scores.
Vector scores(const Model& m, const Matrix& x, int threads);

}  // namespace logad::model::autoencoder
