// The one-class SVM against LIBSVM as the oracle: svm-train -s 2 (Debian's libsvm-tools) fits the
// same data, its model file gives rho, the support vectors and their coefficients, and the
// oracle's decision values are computed here from that file with the textbook kernel formulas.
// Decision values must agree to 1e-3 relative (to max(|f(x)|, rho), the scale of the function),
// on the training rows and on fresh rows. Without svm-train the oracle tests skip with a WARN (and fail under CI, which installs it).
#include "../oracle.hpp"
#include <logad/error.hpp>
#include <logad/model/detector.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>
#include <unistd.h>
#include <nlohmann/json.hpp>

using logad::model::Matrix;
using logad::model::Vector;
using logad::model::make_detector;
namespace fs = std::filesystem;

namespace {

// Two Gaussian blobs plus a wide uniform cloud; values rounded to 4 decimals so that svm-train's
// text model (8 significant digits) holds the support vectors exactly.
Matrix blobs(int rows, int cols, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> n(0.0, 1.0);
    std::uniform_real_distribution<double> u(-6.0, 6.0);
    Matrix x(rows, cols);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) {
            double v = i % 10 == 9 ? u(gen) : (i % 2 == 0 ? 2.0 : -1.0) + (i % 2 == 0 ? 0.7 : 1.2) * n(gen);
            x(i, j) = std::round(v * 1e4) / 1e4;
        }
    return x;
}

bool have_svm_train() { return std::system("command -v svm-train >/dev/null 2>&1 && command -v svm-predict >/dev/null 2>&1") == 0; }

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("logad_test_ocsvm_" + std::to_string(::getpid()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void write_libsvm(const fs::path& file, const Matrix& x) {
    std::ofstream out(file);
    char buf[64];
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        out << "1";
        for (Eigen::Index c = 0; c < x.cols(); ++c) {
            std::snprintf(buf, sizeof buf, " %ld:%.17g", static_cast<long>(c + 1), x(r, c));
            out << buf;
        }
        out << '\n';
    }
}

struct Oracle {
    std::string kernel;
    double gamma = 0, coef0 = 0, rho = 0;
    int degree = 3;
    std::vector<double> coef;
    std::vector<std::vector<double>> sv;  // dense, width = data width

    double decision(const double* x, int d) const {
        double f = 0;
        for (std::size_t s = 0; s < sv.size(); ++s) {
            double k = 0;
            if (kernel == "rbf") {
                double dist = 0;
                for (int c = 0; c < d; ++c) dist += (sv[s][c] - x[c]) * (sv[s][c] - x[c]);
                k = std::exp(-gamma * dist);
            } else {
                double dot = 0;
                for (int c = 0; c < d; ++c) dot += sv[s][c] * x[c];
                k = kernel == "linear" ? dot : std::pow(gamma * dot + coef0, degree);
            }
            f += coef[s] * k;
        }
        return f - rho;
    }
};

// Parses the text model svm-train writes: a header of "key value" lines, "SV", then one line per
// support vector "coef index:value ...".
Oracle read_model(const fs::path& file, int d) {
    std::ifstream in(file);
    REQUIRE(in);
    Oracle o;
    std::string line;
    while (std::getline(in, line) && line != "SV") {
        std::istringstream ls(line);
        std::string key;
        ls >> key;
        if (key == "kernel_type") ls >> o.kernel;
        else if (key == "gamma") ls >> o.gamma;
        else if (key == "coef0") ls >> o.coef0;
        else if (key == "degree") ls >> o.degree;
        else if (key == "rho") ls >> o.rho;
    }
    if (o.kernel == "polynomial") o.kernel = "poly";
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        double c;
        if (!(ls >> c)) continue;
        std::vector<double> v(static_cast<std::size_t>(d), 0.0);
        std::string item;
        while (ls >> item) {
            const auto colon = item.find(':');
            v.at(static_cast<std::size_t>(std::stoi(item.substr(0, colon)) - 1)) = std::stod(item.substr(colon + 1));
        }
        o.coef.push_back(c);
        o.sv.push_back(std::move(v));
    }
    return o;
}

struct Case {
    std::string name;
    nlohmann::json params;  // ours
    std::string flags;      // svm-train's
};

double max_rel_error(const Vector& mine, const std::vector<double>& oracle, double rho) {
    double worst = 0;
    for (Eigen::Index i = 0; i < mine.size(); ++i) {
        const double o = oracle[static_cast<std::size_t>(i)];
        worst = std::max(worst, std::abs(mine[i] - o) / std::max(std::abs(o), std::abs(rho)));
    }
    return worst;
}

void check_against_libsvm(const Case& c, const Matrix& train, const Matrix& fresh) {
    if (!have_svm_train()) {
        LOGAD_ORACLE_MISSING("svm-train/svm-predict (Debian package libsvm-tools) not found: LIBSVM oracle test");
        return;
    }
    TempDir dir;
    const fs::path data = dir.path / "train.libsvm", fresh_file = dir.path / "fresh.libsvm",
                   model = dir.path / "model", predicted = dir.path / "predicted";
    write_libsvm(data, train);
    write_libsvm(fresh_file, fresh);
    const std::string cmd = "svm-train -s 2 -q " + c.flags + " '" + data.string() + "' '" + model.string() + "'";
    INFO(cmd);
    REQUIRE(std::system(cmd.c_str()) == 0);
    const int d = static_cast<int>(train.cols());
    const Oracle o = read_model(model, d);
    REQUIRE_FALSE(o.sv.empty());

    auto det = make_detector("ocsvm", c.params);
    det->fit(train, {});
    const nlohmann::json state = det->to_json();
    const double rho = state.at("rho").get<double>();
    INFO(c.name << ": rho mine " << rho << " libsvm " << o.rho << ", SVs mine " << state.at("coef").size()
                << " libsvm " << o.sv.size());
    CHECK(std::abs(rho - o.rho) <= 1e-3 * std::abs(o.rho));

    for (const Matrix* x : {&train, &fresh}) {
        const Vector mine = -det->score(*x);  // score = -decision value
        std::vector<double> oracle;
        for (Eigen::Index r = 0; r < x->rows(); ++r) {
            std::vector<double> row(x->row(r).begin(), x->row(r).end());
            oracle.push_back(o.decision(row.data(), d));
        }
        const double err = max_rel_error(mine, oracle, o.rho);
        INFO((x == &train ? "training rows" : "fresh rows") << ": max relative error " << err);
        CHECK(err <= 1e-3);
        if (x == &fresh) {
            // Cross-check the oracle's own reading of the model file against svm-predict's labels.
            const std::string pcmd = "svm-predict -q '" + fresh_file.string() + "' '" + model.string() + "' '" +
                                     predicted.string() + "' >/dev/null";
            REQUIRE(std::system(pcmd.c_str()) == 0);
            std::ifstream in(predicted);
            int agree = 0, total = 0;
            for (std::size_t r = 0; r < oracle.size(); ++r) {
                double label = 0;
                in >> label;
                if (std::abs(oracle[r]) < 1e-9 * std::abs(o.rho)) continue;
                ++total;
                agree += (oracle[r] > 0 ? 1.0 : -1.0) == label;
            }
            CHECK(agree == total);
        }
    }
}

}  // namespace

TEST_CASE("ocsvm rbf agrees with LIBSVM svm-train -s 2", "[model]") {
    const Matrix train = blobs(400, 5, 1), fresh = blobs(200, 5, 2);
    SECTION("nu 0.1") {
        check_against_libsvm({"rbf nu=0.1", {{"kernel", "rbf"}, {"gamma", 0.3}, {"nu", 0.1}, {"tol", 1e-3}},
                              "-t 2 -g 0.3 -n 0.1 -e 0.001"},
                             train, fresh);
    }
    SECTION("nu 0.5, no shrinking") {
        check_against_libsvm({"rbf nu=0.5", {{"gamma", 0.3}, {"nu", 0.5}, {"shrinking", false}},
                              "-t 2 -g 0.3 -n 0.5 -e 0.001 -h 0"},
                             train, fresh);
    }
}

TEST_CASE("ocsvm rbf agrees with LIBSVM with shrinking and a tiny kernel cache", "[model]") {
    // 2,000 rows with a 1 MB cache (about 130 rows): exercises eviction, shrinking and unshrinking.
    const Matrix train = blobs(2000, 8, 3), fresh = blobs(300, 8, 4);
    check_against_libsvm({"rbf cache", {{"gamma", 0.1}, {"nu", 0.2}, {"cache_mb", 1}}, "-t 2 -g 0.1 -n 0.2 -e 0.001 -m 1"},
                         train, fresh);
}

TEST_CASE("ocsvm linear and polynomial kernels agree with LIBSVM", "[model]") {
    // Shifted away from the origin: a linear one-class SVM on data around the origin is degenerate
    // (w = 0, every decision value 0), which would make the comparison meaningless.
    const Matrix train = (blobs(300, 4, 5).array() + 5.0).matrix(), fresh = (blobs(100, 4, 6).array() + 5.0).matrix();
    SECTION("linear") {
        // nu * l not an integer: when it is, the optimum may have no free alpha and rho is then only
        // known to lie in an interval (both solvers are right but may pick different points).
        check_against_libsvm({"linear", {{"kernel", "linear"}, {"nu", 0.333}}, "-t 0 -n 0.333 -e 0.001"}, train, fresh);
    }
    SECTION("poly") {
        check_against_libsvm(
            {"poly", {{"kernel", "poly"}, {"gamma", 0.2}, {"coef0", 1.0}, {"degree", 3}, {"nu", 0.2}},
             "-t 1 -g 0.2 -r 1 -d 3 -n 0.2 -e 0.001"},
            train, fresh);
    }
}

TEST_CASE("ocsvm gamma=scale is 1 / (n_features * Var(X)) as in scikit-learn", "[model]") {
    const Matrix x = blobs(50, 3, 7);
    const double mean = x.mean();
    double var = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) var += (x.data()[i] - mean) * (x.data()[i] - mean);
    var /= static_cast<double>(x.size());
    auto det = make_detector("ocsvm", {{"gamma", "scale"}});
    det->fit(x, {});
    CHECK(det->to_json().at("kernel").at("gamma").get<double>() == Approx(1.0 / (3 * var)).epsilon(1e-12));
    auto autog = make_detector("ocsvm", {{"gamma", "auto"}});
    autog->fit(x, {});
    CHECK(autog->to_json().at("kernel").at("gamma").get<double>() == Approx(1.0 / 3));
}

TEST_CASE("ocsvm flags planted outliers, scores are thread-independent", "[model]") {
    std::mt19937_64 gen(11);
    std::normal_distribution<double> n(0.0, 1.0);
    Matrix train(1000, 6), test(220, 6);
    for (Eigen::Index i = 0; i < train.size(); ++i) train.data()[i] = n(gen);
    for (Eigen::Index r = 0; r < test.rows(); ++r)
        for (Eigen::Index c = 0; c < 6; ++c) test(r, c) = r < 200 ? n(gen) : 6.0 + n(gen);
    auto det = make_detector("ocsvm", {{"nu", 0.05}});
    det->fit(train, {});
    const Vector s1 = det->score(test, 1), s2 = det->score(test, 2);
    CHECK(s1 == s2);
    const double worst_outlier = s1.tail(20).minCoeff();
    int above = 0;
    for (int r = 0; r < 200; ++r) above += s1[r] >= worst_outlier;
    CHECK(above == 0);               // every planted outlier outranks every inlier
    CHECK(s1.tail(20).minCoeff() > 0);  // and lies outside the boundary (decision < 0)
}

TEST_CASE("ocsvm fitted with threads matches the single-threaded fit", "[model]") {
    // Wide enough (rows x features >= 2^19) for the solver to compute kernel rows in parallel.
    const Matrix train = blobs(3000, 180, 13), fresh = blobs(100, 180, 14);
    auto one = make_detector("ocsvm", {{"nu", 0.05}});
    one->fit(train, {42, 1});
    auto two = make_detector("ocsvm", {{"nu", 0.05}});
    two->fit(train, {42, 2});
    const Vector a = one->score(fresh), b = two->score(fresh);
    const double scale = std::abs(one->to_json().at("rho").get<double>());
    CHECK((a - b).cwiseAbs().maxCoeff() <= 1e-9 * scale);
}

TEST_CASE("ocsvm degenerate training sets: one row, constant rows", "[model]") {
    auto one = make_detector("ocsvm");
    one->fit(Matrix::Constant(1, 3, 2.0), {});
    const Vector s1 = one->score((Matrix(2, 3) << 2, 2, 2, 9, 9, 9).finished());
    CHECK(std::isfinite(s1[0]));
    CHECK(s1[1] > s1[0]);  // far from the only training row = more anomalous

    auto flat = make_detector("ocsvm", {{"nu", 0.1}});
    flat->fit(Matrix::Constant(50, 2, 1.5), {});  // Var(X) = 0: gamma=scale falls back to 1
    CHECK(flat->to_json().at("kernel").at("gamma").get<double>() == 1.0);
    const Vector s2 = flat->score((Matrix(2, 2) << 1.5, 1.5, 4, 4).finished());
    CHECK(std::abs(s2[0]) < 1e-9);  // the training point itself lies on the boundary
    CHECK(s2[1] > 0);
}

TEST_CASE("ocsvm save -> load scores identically, and refuses damaged state", "[model]") {
    const Matrix train = blobs(300, 4, 8), fresh = blobs(50, 4, 9);
    for (const nlohmann::json& params : {nlohmann::json{{"nu", 0.1}}, nlohmann::json{{"kernel", "linear"}},
                                         nlohmann::json{{"approx", "rff"}, {"components", 64}}}) {
        INFO(params.dump());
        auto det = make_detector("ocsvm", params);
        det->fit(train, {});
        const nlohmann::json state = nlohmann::json::parse(det->to_json().dump());
        auto loaded = make_detector("ocsvm");
        loaded->from_json(state);
        CHECK(loaded->score(fresh) == det->score(fresh));
        CHECK(loaded->n_features() == 4);

        for (const char* key : {"params", "n_features", "kernel"}) {
            nlohmann::json broken = state;
            broken.erase(key);
            CHECK_THROWS_AS(make_detector("ocsvm")->from_json(broken), logad::FormatError);
        }
        nlohmann::json broken = state;
        if (state.contains("rff")) broken["rff"]["w"].erase(0);
        else broken["coef"].erase(0);
        CHECK_THROWS_AS(make_detector("ocsvm")->from_json(broken), logad::FormatError);
        broken = state;
        broken["n_features"] = 5;
        CHECK_THROWS_AS(make_detector("ocsvm")->from_json(broken), logad::FormatError);
        broken = state;
        broken["params"]["nu"] = "half";
        CHECK_THROWS_AS(make_detector("ocsvm")->from_json(broken), logad::FormatError);
    }
}

TEST_CASE("ocsvm rejects bad parameters and bad input", "[model]") {
    CHECK_THROWS_AS(make_detector("ocsvm", {{"nu", 0}}), logad::UsageError);
    CHECK_THROWS_AS(make_detector("ocsvm", {{"nu", 1.5}}), logad::UsageError);
    CHECK_THROWS_AS(make_detector("ocsvm", {{"kernel", "sigmoid"}}), logad::UsageError);
    CHECK_THROWS_AS(make_detector("ocsvm", {{"gamma", -1}}), logad::UsageError);
    CHECK_THROWS_AS(make_detector("ocsvm", {{"trees", 10}}), logad::UsageError);
    CHECK_THROWS_AS(make_detector("ocsvm", {{"approx", "rff"}, {"kernel", "linear"}}), logad::UsageError);
    auto det = make_detector("ocsvm");
    CHECK_THROWS_AS(det->score(Matrix::Zero(2, 2)), logad::UsageError);
    Matrix bad = Matrix::Zero(3, 2);
    bad(1, 1) = std::nan("");
    CHECK_THROWS_AS(det->fit(bad, {}), logad::UsageError);
    det->fit(blobs(20, 2, 1), {});
    CHECK_THROWS_AS(det->score(Matrix::Zero(2, 3)), logad::UsageError);
}

TEST_CASE("ocsvm rff approximation ranks like the exact model and is seeded", "[model]") {
    std::mt19937_64 gen(12);
    std::normal_distribution<double> n(0.0, 1.0);
    Matrix train(2000, 10), test(550, 10);
    for (Eigen::Index i = 0; i < train.size(); ++i) train.data()[i] = n(gen);
    for (Eigen::Index r = 0; r < test.rows(); ++r)
        for (Eigen::Index c = 0; c < 10; ++c) test(r, c) = r < 500 ? n(gen) : 2.5 * n(gen);
    const nlohmann::json rff_params = {{"approx", "rff"}, {"components", 500}, {"nu", 0.1}};
    auto approx = make_detector("ocsvm", rff_params);
    approx->fit(train, {7, 1});
    auto again = make_detector("ocsvm", rff_params);
    again->fit(train, {7, 1});
    CHECK(approx->score(test) == again->score(test));
    auto other_seed = make_detector("ocsvm", rff_params);
    other_seed->fit(train, {8, 1});
    CHECK(other_seed->score(test) != approx->score(test));

    // ROC-AUC on the planted outliers (the wider Gaussian), counted pairwise.
    auto auc = [](const Vector& s) {
        double wins = 0;
        for (int o = 500; o < 550; ++o)
            for (int i = 0; i < 500; ++i) wins += s[o] > s[i] ? 1.0 : s[o] == s[i] ? 0.5 : 0.0;
        return wins / (50.0 * 500.0);
    };
    auto exact = make_detector("ocsvm", {{"nu", 0.1}});
    exact->fit(train, {});
    const double auc_exact = auc(exact->score(test)), auc_rff = auc(approx->score(test));
    INFO("ROC-AUC exact " << auc_exact << ", rff " << auc_rff);
    CHECK(auc_exact > 0.9);
    CHECK(auc_rff > auc_exact - 0.03);
}

// ---------------------------------------------------------------------------------------------
// Measurements, hidden from the default run (tag [.]): build-h4/test/test_model "[ocsvm-bench]"
// ---------------------------------------------------------------------------------------------
#include <chrono>
#include <iostream>
#include <map>
#include <sys/resource.h>

namespace {

double cpu_seconds(int who) {
    rusage u{};
    ::getrusage(who, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// k Gaussian clusters (centres ~ N(0, 3^2), unit spread), rounded to 4 decimals.
Matrix clusters(int rows, int cols, int k, double spread, unsigned seed, const Matrix* centres_in = nullptr) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> n(0.0, 1.0);
    Matrix centres = centres_in ? *centres_in : Matrix(k, cols);
    if (!centres_in)
        for (Eigen::Index i = 0; i < centres.size(); ++i) centres.data()[i] = 3.0 * n(gen);
    Matrix x(rows, cols);
    for (int r = 0; r < rows; ++r) {
        const auto c = static_cast<Eigen::Index>(gen() % static_cast<std::uint64_t>(k));
        for (int j = 0; j < cols; ++j) x(r, j) = std::round((centres(c, j) + spread * n(gen)) * 1e4) / 1e4;
    }
    return x;
}

double roc_auc(const Vector& score, const std::vector<int>& label) {
    std::vector<Eigen::Index> idx(static_cast<std::size_t>(score.size()));
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return score[a] < score[b]; });
    double rank_sum = 0, pos = 0;
    for (std::size_t i = 0; i < idx.size();) {  // average ranks over ties
        std::size_t j = i;
        while (j + 1 < idx.size() && score[idx[j + 1]] == score[idx[i]]) ++j;
        for (std::size_t t = i; t <= j; ++t)
            if (label[static_cast<std::size_t>(idx[t])]) {
                rank_sum += (static_cast<double>(i + j) / 2.0) + 1.0;
                ++pos;
            }
        i = j + 1;
    }
    const double neg = static_cast<double>(label.size()) - pos;
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

std::vector<double> ranks(const Vector& s) {
    std::vector<Eigen::Index> idx(static_cast<std::size_t>(s.size()));
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return s[a] < s[b]; });
    std::vector<double> r(idx.size());
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        while (j + 1 < idx.size() && s[idx[j + 1]] == s[idx[i]]) ++j;
        for (std::size_t t = i; t <= j; ++t) r[static_cast<std::size_t>(idx[t])] = static_cast<double>(i + j) / 2.0;
        i = j + 1;
    }
    return r;
}

double spearman(const Vector& a, const Vector& b) {
    const auto ra = ranks(a), rb = ranks(b);
    const double mean = static_cast<double>(ra.size() - 1) / 2.0;
    double num = 0, da = 0, db = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        num += (ra[i] - mean) * (rb[i] - mean);
        da += (ra[i] - mean) * (ra[i] - mean);
        db += (rb[i] - mean) * (rb[i] - mean);
    }
    return num / std::sqrt(da * db);
}

// HDFS block sessions as template-count rows, as scripts/hdfs_sessions.py builds them: vocabulary
// from the training split by frequency then text, unseen test templates in one OOV column.
bool load_hdfs(Matrix& train, Matrix& test, std::vector<int>& test_label) {
    const char* env = std::getenv("LOGAD_SHARED_DATA");
    const fs::path dir = fs::path(env ? env : LOGAD_SOURCE_DIR "/../shared/data") / "hdfs" / "sessions_100k";
    auto read = [](const fs::path& p, std::vector<std::pair<std::vector<std::string>, int>>& out) {
        std::ifstream in(p);
        std::string line;
        while (std::getline(in, line))
            if (!line.empty()) {
                const auto j = nlohmann::json::parse(line);
                out.emplace_back(j.at("templates").get<std::vector<std::string>>(), j.at("label").get<int>());
            }
        return !out.empty();
    };
    std::vector<std::pair<std::vector<std::string>, int>> tr, te;
    if (!read(dir / "session_train.jsonl", tr) || !read(dir / "session_test.jsonl", te)) return false;
    std::map<std::string, int> freq;
    for (const auto& s : tr)
        for (const auto& t : s.first) ++freq[t];
    std::vector<std::string> vocab;
    for (const auto& [t, f] : freq) vocab.push_back(t);
    std::stable_sort(vocab.begin(), vocab.end(), [&](const auto& a, const auto& b) { return freq[a] > freq[b]; });
    std::map<std::string, int> index;
    for (std::size_t i = 0; i < vocab.size(); ++i) index[vocab[i]] = static_cast<int>(i);
    auto to_matrix = [&](const auto& sessions) {
        Matrix x = Matrix::Zero(static_cast<Eigen::Index>(sessions.size()), static_cast<Eigen::Index>(vocab.size() + 1));
        for (std::size_t r = 0; r < sessions.size(); ++r)
            for (const auto& t : sessions[r].first) {
                const auto it = index.find(t);
                x(static_cast<Eigen::Index>(r), it == index.end() ? static_cast<Eigen::Index>(vocab.size()) : it->second) += 1;
            }
        return x;
    };
    train = to_matrix(tr);
    test = to_matrix(te);
    test_label.clear();
    for (const auto& s : te) test_label.push_back(s.second);
    return true;
}

void report_rff(const std::string& name, const Matrix& train, const Matrix& test, const std::vector<int>& label,
                double nu) {
    auto exact = make_detector("ocsvm", {{"nu", nu}});
    auto t0 = std::chrono::steady_clock::now();
    exact->fit(train, {});
    const double fit_exact = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const Vector s_exact = exact->score(test);
    const double score_exact = seconds_since(t0);
    std::cout << name << " (" << train.rows() << " x " << train.cols() << ", nu " << nu << "): exact fit "
              << fit_exact << " s, " << static_cast<long>(test.rows() / score_exact) << " rows/s, ROC-AUC "
              << roc_auc(s_exact, label) << '\n';
    for (int d : {100, 300, 500, 1000}) {
        auto approx = make_detector("ocsvm", {{"nu", nu}, {"approx", "rff"}, {"components", d}});
        t0 = std::chrono::steady_clock::now();
        approx->fit(train, {42, 1});
        const double fit = seconds_since(t0);
        t0 = std::chrono::steady_clock::now();
        const Vector s = approx->score(test);
        const double sc = seconds_since(t0);
        std::cout << "  rff D=" << d << ": fit " << fit << " s, " << static_cast<long>(test.rows() / sc)
                  << " rows/s, ROC-AUC " << roc_auc(s, label) << ", Spearman vs exact " << spearman(s, s_exact) << '\n';
    }
}

}  // namespace

TEST_CASE("ocsvm fit time vs LIBSVM svm-train (measurement)", "[.][model][ocsvm-bench]") {
    if (!have_svm_train()) {
        WARN("svm-train not found: nothing to compare with");
        return;
    }
    struct Size { int rows, cols; double nu; };
    for (const Size& z : {Size{5000, 50, 0.05}, Size{10000, 40, 0.05}, Size{20000, 30, 0.05}, Size{5000, 50, 0.5},
                          Size{10000, 40, 0.5}}) {
        const Matrix x = clusters(z.rows, z.cols, 5, 1.0, 99);
        auto det = make_detector("ocsvm", {{"nu", z.nu}, {"gamma", "scale"}, {"cache_mb", 100}});
        double cpu0 = cpu_seconds(RUSAGE_SELF);
        auto t0 = std::chrono::steady_clock::now();
        det->fit(x, {42, 1});
        const double mine_wall = seconds_since(t0), mine_cpu = cpu_seconds(RUSAGE_SELF) - cpu0;
        const nlohmann::json state = det->to_json();
        char gamma[64];
        std::snprintf(gamma, sizeof gamma, "%.17g", state.at("kernel").at("gamma").get<double>());
        TempDir dir;
        write_libsvm(dir.path / "train", x);
        const std::string cmd = "svm-train -s 2 -q -t 2 -g " + std::string(gamma) + " -n " + std::to_string(z.nu) +
                                " -e 0.001 -m 100 '" + (dir.path / "train").string() + "' '" +
                                (dir.path / "model").string() + "'";
        cpu0 = cpu_seconds(RUSAGE_CHILDREN);
        t0 = std::chrono::steady_clock::now();
        REQUIRE(std::system(cmd.c_str()) == 0);
        const double lib_wall = seconds_since(t0), lib_cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu0;
        const Oracle o = read_model(dir.path / "model", z.cols);
        // svm-train with nu = 0 reads the whole file, then rejects the parameter: its reading time.
        const std::string read_only = "svm-train -s 2 -q -n 0 '" + (dir.path / "train").string() + "' /dev/null 2>/dev/null";
        cpu0 = cpu_seconds(RUSAGE_CHILDREN);
        t0 = std::chrono::steady_clock::now();
        CHECK(std::system(read_only.c_str()) != 0);
        const double read_wall = seconds_since(t0), read_cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu0;
        std::cout << z.rows << " x " << z.cols << " nu " << z.nu << ": logad fit " << mine_wall << " s (cpu "
                  << mine_cpu << "), svm-train " << lib_wall << " s (cpu " << lib_cpu << "; of which reading its text "
                  << read_wall << " s, cpu " << read_cpu << "), ratio " << lib_wall / mine_wall << ", without reading "
                  << (lib_wall - read_wall) / mine_wall << "; rho " << state.at("rho").get<double>() << " vs " << o.rho
                  << ", SVs " << state.at("coef").size() << " vs " << o.sv.size() << '\n';
        CHECK(std::abs(state.at("rho").get<double>() - o.rho) <= 1e-3 * std::abs(o.rho));
    }
}

TEST_CASE("ocsvm rff accuracy vs exact (measurement)", "[.][model][ocsvm-bench]") {
    // Synthetic: 3 clusters in 20 dimensions; test = 2,000 inliers + 200 rows from the same
    // clusters with 1.6x the spread (near, hard outliers).
    Matrix centres(3, 20);
    {
        std::mt19937_64 gen(5);
        std::normal_distribution<double> n(0.0, 3.0);
        for (Eigen::Index i = 0; i < centres.size(); ++i) centres.data()[i] = n(gen);
    }
    const Matrix train = clusters(5000, 20, 3, 1.0, 1, &centres), inl = clusters(2000, 20, 3, 1.0, 2, &centres),
                 out = clusters(200, 20, 3, 1.6, 3, &centres);
    Matrix test(2200, 20);
    test << inl, out;
    std::vector<int> label(2200, 0);
    std::fill(label.begin() + 2000, label.end(), 1);
    report_rff("synthetic", train, test, label, 0.05);

    Matrix h_train, h_test;
    std::vector<int> h_label;
    if (!load_hdfs(h_train, h_test, h_label)) {
        WARN("shared HDFS sessions not found (set LOGAD_SHARED_DATA): HDFS part skipped");
        return;
    }
    report_rff("HDFS sessions", h_train, h_test, h_label, 0.05);
}
