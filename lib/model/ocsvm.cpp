// The one-class SVM detector (Schölkopf et al. 2001, nu formulation): parameters, fit/score glue
// and the saved state. The exact model is solved by ocsvm_solver.cpp (agrees with LIBSVM's
// svm-train -s 2); {"approx": "rff"} uses random Fourier features instead (ocsvm_rff.cpp).
// score(x) = -f(x) with f(x) = sum_i a_i K(sv_i, x) - rho, LIBSVM's decision value: higher = more
// anomalous, and a score above 0 means outside the learned boundary.
//
// Parameters (JSON, all optional):
//   nu          (0, 1]  upper bound on the share of training rows outside the boundary and lower
//               bound on the share of support vectors                             (0.05, see below)
//   kernel      "rbf" | "linear" | "poly"                                          ("rbf")
//   gamma       "scale" = 1 / (n_features * Var(X)) as scikit-learn, "auto" = 1 / n_features,
//               or a positive number                                               ("scale")
//   coef0, degree   of the poly kernel (gamma x.y + coef0)^degree                  (0, 3)
//   tol         stopping tolerance on the KKT violation, LIBSVM's -e               (1e-3)
//   cache_mb    kernel row cache, LIBSVM's -m                                      (200)
//   shrinking   LIBSVM's -h                                                        (true)
//   approx      "none" | "rff"                                                     ("none")
//   components  random Fourier features, with approx = "rff"                      (500)
//   epochs      passes of the primal solver, with approx = "rff"                  (20)
// nu defaults to 0.05 rather than LIBSVM's 0.5: training logs are mostly normal, nu is about the
// share of training rows the model treats as outliers, and a small nu also keeps the number of
// support vectors (hence fit and score time) small.
#include "algorithms.hpp"
#include "ocsvm_kernel.hpp"
#include "ocsvm_rff.hpp"
#include "ocsvm_solver.hpp"

#include <logad/util/json_integer.hpp>
#include <logad/util/json_packed.hpp>
#include <logad/error.hpp>
#include <logad/util/parallel.hpp>

#include <fmt/core.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

namespace logad::model {
namespace {

using ocsvm::Kernel;
using ocsvm::KernelType;

struct OcsvmParams {
    double nu = 0.05;
    KernelType kernel = KernelType::rbf;
    std::optional<double> gamma;  // empty = derived from the data (see gamma_rule)
    std::string gamma_rule = "scale";
    double coef0 = 0.0;
    int degree = 3;
    double tol = 1e-3;
    double cache_mb = 200;
    bool shrinking = true;
    bool rff = false;
    int components = 500;
    int epochs = 20;
};

OcsvmParams parse_ocsvm_params(const nlohmann::json& params) {
    if (!params.is_object()) throw UsageError("ocsvm parameters must be a JSON object");
    OcsvmParams p;
    auto number = [](const std::string& key, const nlohmann::json& v, double lo, double hi) {
        if (!v.is_number() || !(v.get<double>() > lo) || v.get<double>() > hi)
            throw UsageError(fmt::format("ocsvm parameter {} must be a number in ({}, {}]", key, lo, hi));
        return v.get<double>();
    };
    auto integer = [](const std::string& key, const nlohmann::json& v, int lo, int hi) {
        if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
            throw UsageError(fmt::format("ocsvm parameter {} must be an integer in [{}, {}]", key, lo, hi));
        return static_cast<int>(v.get<long long>());
    };
    for (const auto& [key, v] : params.items()) {
        if (key == "nu") p.nu = number(key, v, 0.0, 1.0);
        else if (key == "kernel") {
            if (!v.is_string()) throw UsageError("ocsvm parameter kernel must be \"rbf\", \"linear\" or \"poly\"");
            p.kernel = ocsvm::kernel_from_name(v.get<std::string>());
        } else if (key == "gamma") {
            if (v.is_string() && (v.get<std::string>() == "scale" || v.get<std::string>() == "auto")) {
                p.gamma_rule = v.get<std::string>();
                p.gamma.reset();
            } else if (v.is_number()) {
                p.gamma = number(key, v, 0.0, 1e300);
                p.gamma_rule = "value";
            } else {
                throw UsageError("ocsvm parameter gamma must be \"scale\", \"auto\" or a positive number");
            }
        } else if (key == "coef0") {
            if (!v.is_number()) throw UsageError("ocsvm parameter coef0 must be a number");
            p.coef0 = v.get<double>();
        } else if (key == "degree") p.degree = integer(key, v, 1, 20);
        else if (key == "tol") p.tol = number(key, v, 0.0, 1e6);
        else if (key == "cache_mb") p.cache_mb = number(key, v, 0.0, 1e7);
        else if (key == "shrinking") {
            if (!v.is_boolean()) throw UsageError("ocsvm parameter shrinking must be true or false");
            p.shrinking = v.get<bool>();
        } else if (key == "approx") {
            if (v == "rff") p.rff = true;
            else if (v == "none") p.rff = false;
            else throw UsageError("ocsvm parameter approx must be \"none\" or \"rff\"");
        } else if (key == "components") p.components = integer(key, v, 1, 1 << 20);
        else if (key == "epochs") p.epochs = integer(key, v, 1, 100000);
        else {
            throw UsageError(fmt::format("unknown ocsvm parameter '{}'; known: nu, kernel, gamma, coef0, degree, tol, "
                                         "cache_mb, shrinking, approx, components, epochs", key));
        }
    }
    if (p.rff && p.kernel != KernelType::rbf)
        throw UsageError("ocsvm approx \"rff\" approximates the rbf kernel only; drop approx or use kernel rbf");
    return p;
}

nlohmann::json params_json(const OcsvmParams& p) {
    nlohmann::json j = {{"nu", p.nu},          {"kernel", ocsvm::kernel_name(p.kernel)},
                        {"coef0", p.coef0},    {"degree", p.degree},
                        {"tol", p.tol},        {"cache_mb", p.cache_mb},
                        {"shrinking", p.shrinking}, {"approx", p.rff ? "rff" : "none"},
                        {"components", p.components}, {"epochs", p.epochs}};
    if (p.gamma) j["gamma"] = *p.gamma;
    else j["gamma"] = p.gamma_rule;
    return j;
}

Matrix matrix_from_json(const nlohmann::json& rows, Eigen::Index cols, const char* what) {
    // Every row's length first: memory is taken only for values the file really holds.
    if (!rows.is_array()) throw FormatError(fmt::format("one-class SVM in the model is damaged: {} is not an array", what));
    for (const nlohmann::json& row : rows) {
        const std::size_t n = row.is_array() || util::is_packed(row) ? util::json_array_size(row) : 0;
        if (static_cast<Eigen::Index>(n) != cols)
            throw FormatError(fmt::format("one-class SVM in the model is damaged: a row of {} has {} values, expected {}", what, n, cols));
    }
    Matrix m(static_cast<Eigen::Index>(rows.size()), cols);
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        const auto row = util::json_doubles(rows.at(static_cast<std::size_t>(r)));
        if (static_cast<Eigen::Index>(row.size()) != cols)
            throw FormatError(fmt::format("one-class SVM in the model is damaged: a row of {} has {} values, expected {}",
                                          what, row.size(), cols));
        for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = row[static_cast<std::size_t>(c)];
    }
    return m;
}

nlohmann::json matrix_to_json(const Matrix& m) {
    nlohmann::json rows = nlohmann::json::array();
    for (Eigen::Index r = 0; r < m.rows(); ++r) rows.push_back(std::vector<double>(m.row(r).begin(), m.row(r).end()));
    return rows;
}

Vector vector_from_json(const nlohmann::json& j, Eigen::Index size, const char* what) {
    const auto v = util::json_doubles(j);
    if (static_cast<Eigen::Index>(v.size()) != size)
        throw FormatError(fmt::format("one-class SVM in the model is damaged: {} has {} values, expected {}", what,
                                      v.size(), size));
    return Eigen::Map<const Vector>(v.data(), size);
}

class OneClassSvm final : public Detector {
public:
    explicit OneClassSvm(OcsvmParams p) : m_params(std::move(p)) {}

    DetectorKind kind() const override { return DetectorKind::ocsvm; }
    double lowest_score() const override { return -std::numeric_limits<double>::infinity(); }  // -f(x)
    std::size_t n_features() const override { return static_cast<std::size_t>(m_n_features); }

    void fit(const Matrix& x, const FitOptions& options) override {
        if (x.rows() < 1 || x.cols() < 1) throw UsageError("ocsvm needs at least 1 row and 1 feature to fit");
        require_finite(x, "ocsvm", "training");
        Kernel k = kernel_for(x);
        if (m_params.rff) {
            ocsvm::RffOptions o;
            o.components = m_params.components;
            o.epochs = m_params.epochs;
            o.gamma = k.gamma;
            o.nu = m_params.nu;
            o.seed = options.seed;
            o.threads = options.threads;
            m_rff = ocsvm::fit_rff(x, o);
            m_sv.resize(0, 0);
            m_coef.resize(0);
        } else {
            ocsvm::SolverOptions o;
            o.nu = m_params.nu;
            o.eps = m_params.tol;
            o.cache_bytes = static_cast<std::size_t>(m_params.cache_mb * 1024 * 1024);
            o.shrinking = m_params.shrinking;
            o.threads = options.threads;
            const ocsvm::SolverResult r = ocsvm::solve_one_class(x, k, o);
            // Keep the rows with a_i > 0, in training order, as LIBSVM's model file does.
            std::vector<Eigen::Index> keep;
            for (Eigen::Index i = 0; i < r.alpha.size(); ++i)
                if (r.alpha[i] > 0) keep.push_back(i);
            m_sv.resize(static_cast<Eigen::Index>(keep.size()), x.cols());
            m_coef.resize(static_cast<Eigen::Index>(keep.size()));
            for (std::size_t s = 0; s < keep.size(); ++s) {
                m_sv.row(static_cast<Eigen::Index>(s)) = x.row(keep[s]);
                m_coef[static_cast<Eigen::Index>(s)] = r.alpha[keep[s]];
            }
            m_rho = r.rho;
            m_rff.reset();
        }
        m_kernel = k;
        m_n_features = x.cols();
        prepare();
    }

    Vector score(const Matrix& x, int threads) const override {
        if (m_n_features == 0) throw UsageError("ocsvm: score() before fit() or load");
        if (x.cols() != m_n_features)
            throw UsageError(fmt::format("ocsvm was trained on {} features, got rows of {}", m_n_features, x.cols()));
        require_finite(x, "ocsvm", "scored");
        Vector out(x.rows());
        // Rows in chunks per thread, each chunk in small blocks that reuse one kernel buffer (fresh
        // big buffers cost more in page faults than the kernel itself).
        constexpr std::size_t k_chunk = 1024;
        constexpr Eigen::Index k_block = 16;
        const auto n = static_cast<std::size_t>(x.rows());
        util::parallel_for(n, threads, k_chunk, [&](std::size_t begin, std::size_t end) {
            Matrix buffer;
            for (auto b = static_cast<Eigen::Index>(begin); b < static_cast<Eigen::Index>(end); b += k_block) {
                const Eigen::Index len = std::min(k_block, static_cast<Eigen::Index>(end) - b);
                out.segment(b, len) = -decision(x.middleRows(b, len), buffer);
            }
        });
        return out;
    }

    nlohmann::json to_json() const override {
        nlohmann::json j;
        j["params"] = params_json(m_params);
        j["n_features"] = m_n_features;
        j["kernel"] = {{"type", ocsvm::kernel_name(m_kernel.type)},
                       {"gamma", m_kernel.gamma},
                       {"coef0", m_kernel.coef0},
                       {"degree", m_kernel.degree}};
        if (m_rff) {
            j["rff"] = {{"weights", matrix_to_json(m_rff->weights)},
                        {"offsets", std::vector<double>(m_rff->offsets.begin(), m_rff->offsets.end())},
                        {"w", std::vector<double>(m_rff->w.begin(), m_rff->w.end())},
                        {"rho", m_rff->rho},
                        {"scale", m_rff->scale}};
        } else {
            j["rho"] = m_rho;
            j["support_vectors"] = matrix_to_json(m_sv);
            j["coef"] = std::vector<double>(m_coef.begin(), m_coef.end());
        }
        return j;
    }

    void from_json(const nlohmann::json& j) override {
        try {
            OcsvmParams p = parse_ocsvm_params(j.at("params"));
            const auto d = util::json_integer_in<Eigen::Index>(j.at("n_features"), 1, Eigen::Index(1) << 24, "n_features");
            const nlohmann::json& kj = j.at("kernel");
            Kernel k;
            k.type = ocsvm::kernel_from_name(kj.at("type").get<std::string>());
            k.gamma = kj.at("gamma").get<double>();
            k.coef0 = kj.at("coef0").get<double>();
            k.degree = util::json_integer<int>(kj.at("degree"));
            if (k.type != p.kernel || !(k.gamma > 0) || k.degree < 1)
                throw FormatError("one-class SVM in the model is damaged: kernel does not match its parameters");
            std::optional<ocsvm::RffModel> rff;
            Matrix sv;
            Vector coef;
            double rho = 0;
            if (p.rff) {
                const nlohmann::json& r = j.at("rff");
                ocsvm::RffModel m;
                m.weights = matrix_from_json(r.at("weights"), d, "rff weights");
                const Eigen::Index n_comp = m.weights.rows();
                if (n_comp < 1) throw FormatError("one-class SVM in the model is damaged: no random features");
                m.offsets = vector_from_json(r.at("offsets"), n_comp, "rff offsets");
                m.w = vector_from_json(r.at("w"), n_comp, "rff w");
                m.rho = r.at("rho").get<double>();
                m.scale = r.at("scale").get<double>();
                rff = std::move(m);
            } else {
                sv = matrix_from_json(j.at("support_vectors"), d, "support_vectors");
                if (sv.rows() < 1) throw FormatError("one-class SVM in the model is damaged: no support vectors");
                coef = vector_from_json(j.at("coef"), sv.rows(), "coef");
                rho = j.at("rho").get<double>();
            }
            m_params = std::move(p);
            m_n_features = d;
            m_kernel = k;
            m_rff = std::move(rff);
            m_sv = std::move(sv);
            m_coef = std::move(coef);
            m_rho = rho;
            prepare();
        } catch (const nlohmann::json::exception& e) {
            throw FormatError(fmt::format("one-class SVM in the model is damaged or edited: {}", e.what()));
        } catch (const UsageError& e) {
            throw FormatError(fmt::format("one-class SVM in the model has invalid parameters: {}", e.what()));
        }
    }

private:
    Kernel kernel_for(const Matrix& x) const {
        Kernel k;
        k.type = m_params.kernel;
        k.coef0 = m_params.coef0;
        k.degree = m_params.degree;
        if (m_params.gamma) k.gamma = *m_params.gamma;
        else if (m_params.gamma_rule == "auto") k.gamma = 1.0 / static_cast<double>(x.cols());
        else k.gamma = ocsvm::gamma_scale(x);
        return k;
    }

    // Derived state for scoring: squared norms of the support vectors, or the primal w for linear.
    void prepare() {
        m_sv_sq = m_sv.rowwise().squaredNorm();
        if (!m_rff && m_kernel.type == KernelType::linear) m_linear_w = m_sv.transpose() * m_coef;
    }

    Vector decision(const Matrix& rows, Matrix& buffer) const {
        if (m_rff) return m_rff->decision(rows);
        if (m_kernel.type == KernelType::linear) return (rows * m_linear_w).array() - m_rho;
        ocsvm::kernel_block(m_kernel, rows, rows.rowwise().squaredNorm(), m_sv, m_sv_sq, buffer);
        return (buffer * m_coef).array() - m_rho;
    }

    OcsvmParams m_params;
    Eigen::Index m_n_features = 0;
    Kernel m_kernel;
    Matrix m_sv;
    Vector m_coef;
    double m_rho = 0.0;
    std::optional<ocsvm::RffModel> m_rff;
    Vector m_sv_sq;
    Vector m_linear_w;
};

}  // namespace

std::unique_ptr<Detector> make_ocsvm(const nlohmann::json& params) {
    return std::make_unique<OneClassSvm>(parse_ocsvm_params(params.is_null() ? nlohmann::json::object() : params));
}

}  // namespace logad::model
