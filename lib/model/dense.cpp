#include "dense.hpp"
#include <logad/util/random.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <cmath>

namespace logad::model::dense {

Activation parse_activation(std::string_view name) {
    if (name == "relu") return Activation::relu;
    if (name == "tanh") return Activation::tanh;
    throw UsageError(fmt::format("unknown activation '{}'; choose relu or tanh", name));
}

std::string_view activation_name(Activation a) { return a == Activation::relu ? "relu" : "tanh"; }

template <typename T>
Network<T>::Network(const std::vector<int>& sizes, const std::vector<bool>& activated, Activation act) : m_act(act) {
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        Layer<T> l;
        l.w = Mat<T>::Zero(sizes[i + 1], sizes[i]);
        l.b = Col<T>::Zero(sizes[i + 1]);
        l.activated = activated.at(i);
        m_layers.push_back(std::move(l));
    }
}

template <typename T>
void Network<T>::init(util::Random& rng) {
    for (auto& l : m_layers) {
        const double a = std::sqrt(6.0 / static_cast<double>(l.w.rows() + l.w.cols()));
        for (Eigen::Index o = 0; o < l.w.rows(); ++o)
            for (Eigen::Index i = 0; i < l.w.cols(); ++i) l.w(o, i) = static_cast<T>((2.0 * rng.uniform() - 1.0) * a);
        l.b.setZero();
    }
}

template <typename T>
std::size_t Network<T>::n_parameters() const {
    std::size_t n = 0;
    for (const auto& l : m_layers) n += static_cast<std::size_t>(l.w.size() + l.b.size());
    return n;
}

template <typename T>
const Mat<T>& Network<T>::forward(const Eigen::Ref<const Mat<T>>& x, Workspace<T>& ws, bool per_column) const {
    ws.a.resize(m_layers.size());
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        const Layer<T>& l = m_layers[i];
        Mat<T>& out = ws.a[i];
        out.resize(l.w.rows(), x.cols());
        const Eigen::Ref<const Mat<T>> in = i == 0 ? x : Eigen::Ref<const Mat<T>>(ws.a[i - 1]);
        if (per_column) out.noalias() = l.w.lazyProduct(in);
        else out.noalias() = l.w * in;
        out.colwise() += l.b;
        if (l.activated) {
            if (m_act == Activation::relu) out = out.cwiseMax(T(0));
            else out = out.array().tanh();
        }
    }
    return ws.a.back();
}

template <typename T>
void Network<T>::backward(const Eigen::Ref<const Mat<T>>& x, Workspace<T>& ws, std::vector<Layer<T>>& grads) const {
    grads.resize(m_layers.size());
    for (std::size_t k = m_layers.size(); k-- > 0;) {
        const Layer<T>& l = m_layers[k];
        // ws.delta holds dL/d(output of layer k); turn it into dL/d(pre-activation).
        if (l.activated) {
            const auto& a = ws.a[k].array();
            if (m_act == Activation::relu) ws.delta = (a > T(0)).select(ws.delta.array(), T(0));
            else ws.delta.array() *= T(1) - a.square();
        }
        Layer<T>& g = grads[k];
        if (k == 0) g.w.noalias() = ws.delta * x.transpose();
        else g.w.noalias() = ws.delta * ws.a[k - 1].transpose();
        g.b.noalias() = ws.delta.rowwise().sum();
        if (k > 0) {
            ws.next_delta.noalias() = l.w.transpose() * ws.delta;
            ws.delta.swap(ws.next_delta);
        }
    }
}

template <typename T>
Adam<T>::Adam(const Network<T>& net, Options options) : m_opt(options) {
    for (const auto& l : net.layers()) {
        Layer<T> z;
        z.w = Mat<T>::Zero(l.w.rows(), l.w.cols());
        z.b = Col<T>::Zero(l.b.size());
        m_m.push_back(z);
        m_v.push_back(std::move(z));
    }
}

template <typename T>
void Adam<T>::step(Network<T>& net, const std::vector<Layer<T>>& grads) {
    ++m_t;
    // beta^t as a running product, not std::pow: libm's pow is not correctly rounded and its
    // result may differ in the last bit between CPUs; multiplication is exact IEEE everywhere.
    m_beta1_t *= m_opt.beta1;
    m_beta2_t *= m_opt.beta2;
    const double bc1 = 1.0 - m_beta1_t;
    const double bc2 = 1.0 - m_beta2_t;
    const T b1 = static_cast<T>(m_opt.beta1), b2 = static_cast<T>(m_opt.beta2);
    const T step = static_cast<T>(m_opt.learning_rate / bc1);
    const T inv_sqrt_bc2 = static_cast<T>(1.0 / std::sqrt(bc2));
    const T eps = static_cast<T>(m_opt.eps);
    auto update = [&](auto& p, auto& m, auto& v, const auto& g) {
        m.array() = b1 * m.array() + (T(1) - b1) * g.array();
        v.array() = b2 * v.array() + (T(1) - b2) * g.array().square();
        p.array() -= step * m.array() / (v.array().sqrt() * inv_sqrt_bc2 + eps);
    };
    auto& layers = net.layers();
    for (std::size_t k = 0; k < layers.size(); ++k) {
        update(layers[k].w, m_m[k].w, m_v[k].w, grads[k].w);
        update(layers[k].b, m_m[k].b, m_v[k].b, grads[k].b);
    }
}

template class Network<float>;
template class Network<double>;
template class Adam<float>;
template class Adam<double>;

}  // namespace logad::model::dense
