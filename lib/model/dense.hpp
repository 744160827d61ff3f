#pragma once
// A small fully connected network on Eigen, enough for the autoencoder: layers of W x + b, an
// activation after the layers marked `activated`, mean-squared-error gradients by backprop and
// an Adam optimiser. Samples are COLUMNS (features x batch, column-major), so a mini-batch is a
// gather of contiguous columns and every layer is one GEMM. Templated on the scalar: float for
// training and scoring (Eigen's float GEMM is about twice as fast), double for the gradient check.
#include <Eigen/Core>

#include <cstddef>
#include <string_view>
#include <vector>

namespace logad::util {
class Random;
}

namespace logad::model::dense {


enum class Activation { relu, tanh };

Activation parse_activation(std::string_view name);  // throws UsageError
std::string_view activation_name(Activation a);

template <typename T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <typename T>
using Col = Eigen::Matrix<T, Eigen::Dynamic, 1>;

template <typename T>
struct Layer {
    Mat<T> w;  // out x in
    Col<T> b;  // out
    bool activated = false;
};

// Per-call scratch space, so the network itself stays const while scoring on many threads.
template <typename T>
struct Workspace {
    std::vector<Mat<T>> a;  // output of each layer (after its activation)
    Mat<T> delta, next_delta;
};

template <typename T>
class Network {
public:
    Network() = default;
    // sizes = {in, h1, ..., out}; activated[i] says whether layer i (sizes[i] -> sizes[i+1])
    // is followed by the activation. Weights start at zero; call init().
    Network(const std::vector<int>& sizes, const std::vector<bool>& activated, Activation act);

    // Glorot/Xavier uniform weights, U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), drawn
    // layer by layer in row-major order (output unit, then input); zero biases.
    void init(util::Random& rng);

    // Runs the columns of x through the network; the result is ws.a.back(). per_column uses
    // coefficient-wise products, whose rounding does not depend on the other columns (a row
    // scores the same alone or in any batch); the default blocked GEMM is faster but its
    // kernels change with the batch width, moving results in the last float bits.
    const Mat<T>& forward(const Eigen::Ref<const Mat<T>>& x, Workspace<T>& ws, bool per_column = false) const;

    // Given dL/d(output) in ws.delta after forward(x, ws), writes dL/dW, dL/db into grads
    // (same shapes as the layers; overwritten, not accumulated).
    void backward(const Eigen::Ref<const Mat<T>>& x, Workspace<T>& ws, std::vector<Layer<T>>& grads) const;

    std::vector<Layer<T>>& layers() { return m_layers; }
    const std::vector<Layer<T>>& layers() const { return m_layers; }
    Activation activation() const { return m_act; }
    int n_inputs() const { return m_layers.empty() ? 0 : static_cast<int>(m_layers.front().w.cols()); }
    int n_outputs() const { return m_layers.empty() ? 0 : static_cast<int>(m_layers.back().w.rows()); }
    std::size_t n_parameters() const;

private:
    std::vector<Layer<T>> m_layers;
    Activation m_act = Activation::relu;
};

// Adam (Kingma & Ba 2015) as PyTorch computes it: m, v moving averages; the step is
// lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
template <typename T>
class Adam {
public:
    struct Options {
        double learning_rate = 1e-3;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
    };
    Adam(const Network<T>& net, Options options);
    void step(Network<T>& net, const std::vector<Layer<T>>& grads);

private:
    Options m_opt;
    long long m_t = 0;
    double m_beta1_t = 1.0;  // beta1^m_t
    double m_beta2_t = 1.0;  // beta2^m_t
    std::vector<Layer<T>> m_m, m_v;
};

extern template class Network<float>;
extern template class Network<double>;
extern template class Adam<float>;
extern template class Adam<double>;

}  // namespace logad::model::dense
