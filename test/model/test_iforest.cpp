#include <logad/error.hpp>
#include <logad/model/detector.hpp>
#include <logad/model/iforest.hpp>
#include <logad/model/model_file.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>
#include <nlohmann/json.hpp>

using logad::model::Matrix;
using logad::model::Vector;
using logad::model::iforest_average_path_length;
using logad::model::make_detector;

namespace {

// Gaussian inliers around the origin, generated here (not by the code under test).
Matrix gaussian(int rows, int cols, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> n(0.0, 1.0);
    Matrix x(rows, cols);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) x(i, j) = n(gen);
    return x;
}

double harmonic(int n) {
    double h = 0;
    for (int i = 1; i <= n; ++i) h += 1.0 / i;
    return h;
}

std::filesystem::path temp_path(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("logad_test_iforest_" + std::to_string(::getpid()) + "_" + name);
}

}  // namespace

TEST_CASE("c(n) is the BST unsuccessful-search path length", "[model]") {
    CHECK(iforest_average_path_length(0) == 0.0);
    CHECK(iforest_average_path_length(1) == 0.0);
    CHECK(iforest_average_path_length(2) == 1.0);
    CHECK(iforest_average_path_length(3) == Approx(5.0 / 3.0).epsilon(1e-12));  // 2(1+1/2) - 4/3
    CHECK(iforest_average_path_length(4) == Approx(13.0 / 6.0).epsilon(1e-12));  // 2(11/6) - 3/2
    for (int n : {10, 65, 66, 100, 256, 1000, 100000})
        CHECK(iforest_average_path_length(static_cast<std::size_t>(n)) ==
              Approx(2.0 * harmonic(n - 1) - 2.0 * (n - 1) / n).epsilon(1e-10));
    // The paper's approximation 2(ln(n-1) + 0.5772) - 2(n-1)/n for large n.
    CHECK(iforest_average_path_length(256) == Approx(2.0 * (std::log(255.0) + 0.5772156649) - 2.0 * 255.0 / 256.0).epsilon(1e-3));
}

TEST_CASE("indistinguishable rows score exactly 0.5", "[model]") {
    // Identical rows cannot be split: every tree is one leaf of size psi, E[h] = c(psi).
    Matrix x = Matrix::Constant(500, 4, 3.0);
    for (const char* params : {R"({})", R"({"extended": true})"}) {
        auto det = make_detector("iforest", nlohmann::json::parse(params));
        det->fit(x, {});
        const Vector s = det->score(x);
        CHECK(s.minCoeff() == Approx(0.5).epsilon(1e-12));
        CHECK(s.maxCoeff() == Approx(0.5).epsilon(1e-12));
    }
}

TEST_CASE("uniform data scores near 0.5 on average", "[model]") {
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Matrix x(4000, 2);
    for (int i = 0; i < x.rows(); ++i) x(i, 0) = u(gen), x(i, 1) = u(gen);
    auto det = make_detector("iforest");
    det->fit(x, {});
    const Vector s = det->score(x);
    CHECK(s.mean() > 0.4);
    CHECK(s.mean() < 0.55);
    CHECK(s.maxCoeff() < 0.75);  // no uniform point is a clear outlier
}

TEST_CASE("planted outliers score far above inliers, axis-parallel and extended", "[model]") {
    Matrix x = gaussian(2000, 5, 1);
    const int planted = 10;
    for (int i = 0; i < planted; ++i) x.row(i).setConstant(i % 2 ? 8.0 : -8.0);  // far outside N(0,1)
    for (const char* params : {R"({})", R"({"extended": true})", R"({"extension_level": 1})"}) {
        INFO(params);
        auto det = make_detector("iforest", nlohmann::json::parse(params));
        det->fit(x, {.seed = 3, .threads = 2});
        const Vector s = det->score(x, 2);
        const double worst_outlier = s.head(planted).minCoeff();
        const double inlier_median = [&] {
            std::vector<double> v(s.data() + planted, s.data() + s.size());
            std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
            return v[v.size() / 2];
        }();
        CHECK(worst_outlier > 0.7);
        CHECK(inlier_median < 0.5);
        CHECK(worst_outlier > s.tail(s.size() - planted).maxCoeff());
    }
}

TEST_CASE("same seed, same scores whatever the threads - another seed differs", "[model]") {
    Matrix x = gaussian(3000, 6, 2);
    auto a = make_detector("iforest", {{"trees", 50}});
    auto b = make_detector("iforest", {{"trees", 50}});
    auto c = make_detector("iforest", {{"trees", 50}});
    a->fit(x, {.seed = 11, .threads = 1});
    b->fit(x, {.seed = 11, .threads = 4});
    c->fit(x, {.seed = 12, .threads = 1});
    const Vector sa = a->score(x, 1), sb = b->score(x, 3), sc = c->score(x, 1);
    CHECK((sa.array() == sb.array()).all());
    CHECK(!(sa.array() == sc.array()).all());
}

TEST_CASE("save -> load gives identical scores", "[model]") {
    Matrix x = gaussian(1000, 3, 4);
    for (const char* params : {R"({"trees": 20})", R"({"trees": 20, "extension_level": 2})"}) {
        logad::model::ModelFile m;
        m.detector = make_detector("iforest", nlohmann::json::parse(params));
        m.detector->fit(x, {});
        m.rule = logad::model::ThresholdRule::parse("contamination=0.05");
        m.threshold = 0.6;
        m.feature_names = {"a", "b", "c"};
        m.parts["featurizer"] = {{"window", 5}};
        const auto path = temp_path("roundtrip.json");
        logad::model::save_model(path, m);
        const logad::model::ModelFile back = logad::model::load_model(path);
        std::filesystem::remove(path);
        CHECK(back.detector->algo() == "iforest");
        CHECK(back.threshold == 0.6);
        CHECK(back.rule.to_string() == "contamination=0.05");
        CHECK(back.feature_names == m.feature_names);
        CHECK(back.parts.at("featurizer").at("window") == 5);
        const Vector before = m.detector->score(x), after = back.detector->score(x);
        CHECK((before.array() == after.array()).all());
    }
}

TEST_CASE("damaged, edited and newer model files are refused", "[model]") {
    Matrix x = gaussian(300, 2, 5);
    logad::model::ModelFile m;
    m.detector = make_detector("iforest", {{"trees", 3}});
    m.detector->fit(x, {});
    const auto path = temp_path("damaged.json");
    logad::model::save_model(path, m);
    std::string text;
    {
        std::ifstream in(path);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto write = [&](const std::string& content) {
        std::ofstream(path, std::ios::trunc) << content;
    };
    write(text.substr(0, text.size() / 2));  // truncated
    CHECK_THROWS_AS(logad::model::load_model(path), logad::FormatError);

    nlohmann::json doc = nlohmann::json::parse(text);
    doc["version"] = 99;
    write(doc.dump());
    CHECK_THROWS_WITH(logad::model::load_model(path), Catch::Contains("newer"));

    doc = nlohmann::json::parse(text);
    doc["detector"]["state"]["left"][0] = 100000;  // a child outside the tree
    write(doc.dump());
    CHECK_THROWS_AS(logad::model::load_model(path), logad::FormatError);

    doc = nlohmann::json::parse(text);
    doc["detector"]["state"]["feature"][0] = 7;  // only 2 features
    write(doc.dump());
    CHECK_THROWS_AS(logad::model::load_model(path), logad::FormatError);

    doc = nlohmann::json::parse(text);
    doc["detector"]["state"].erase("value");
    write(doc.dump());
    CHECK_THROWS_AS(logad::model::load_model(path), logad::FormatError);

    // Found by fuzz_model_file in CI: 5.8e97 in an int array was cast out of range (UBSan).
    for (const char* field : {"left", "feature", "roots"}) {
        INFO(field);
        doc = nlohmann::json::parse(text);
        doc["detector"]["state"][field][0] = 5.77778e97;
        write(doc.dump());
        CHECK_THROWS_AS(logad::model::load_model(path), logad::FormatError);
    }

    doc = nlohmann::json::parse(text);
    doc["version"] = 4294967297LL;  // once read into an int: version 1, accepted
    write(doc.dump());
    CHECK_THROWS_WITH(logad::model::load_model(path), Catch::Contains("newer"));
    std::filesystem::remove(path);
}

TEST_CASE("iforest refuses bad parameters and bad input", "[model]") {
    CHECK_THROWS_AS(make_detector("iforest", {{"tres", 10}}), logad::UsageError);
    CHECK_THROWS_AS(make_detector("iforest", {{"trees", 0}}), logad::UsageError);
    CHECK_THROWS_AS(make_detector("iforest", {{"samples", "many"}}), logad::UsageError);
    auto det = make_detector("iforest");
    CHECK_THROWS_AS(det->score(Matrix::Zero(2, 2)), logad::UsageError);
    Matrix x = gaussian(100, 2, 6);
    x(5, 1) = std::nan("");
    CHECK_THROWS_AS(det->fit(x, {}), logad::UsageError);
    det->fit(gaussian(100, 2, 6), {});
    CHECK_THROWS_AS(det->score(Matrix::Zero(2, 3)), logad::UsageError);
}

TEST_CASE("scores follow the saved trees exactly, in blocks of any size and for odd trees", "[model]") {
    // The oracle walks the saved arrays (left, value, feature) node by node, as the paper's
    // PathLength does, independent of the flat form score() walks.
    Matrix x = gaussian(1003, 5, 9);
    x.col(4).setConstant(2.0);  // a constant feature: trees end early, leaves at many depths
    for (int row = 0; row < 40; ++row) x(row, 0) = 50.0 + row;  // outliers isolated in few splits
    for (const char* params : {R"({"trees": 30})", R"({"trees": 7, "samples": 3})", R"({"trees": 5, "samples": 1000})"}) {
        auto d = make_detector("iforest", nlohmann::json::parse(params));
        d->fit(x, {.seed = 5, .threads = 1});
        const nlohmann::json s = d->to_json();
        const auto roots = s.at("roots").get<std::vector<int>>();
        const auto left = s.at("left").get<std::vector<int>>();
        const auto value = s.at("value").get<std::vector<double>>();
        const auto feature = s.at("feature").get<std::vector<int>>();
        const double c = iforest_average_path_length(s.at("psi").get<std::size_t>());
        const Vector all = d->score(x, 1);
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            double h = 0;
            for (const int root : roots) {
                int n = root;
                while (left[static_cast<std::size_t>(n)] >= 0)
                    n = left[static_cast<std::size_t>(n)] + (x(r, feature[static_cast<std::size_t>(n)]) < value[static_cast<std::size_t>(n)] ? 0 : 1);
                h += value[static_cast<std::size_t>(n)];
            }
            h /= static_cast<double>(roots.size());
            INFO(params << " row " << r);
            REQUIRE(all[r] == std::exp2(-h / c));
            if (r % 97 == 0) REQUIRE(d->score(x.middleRows(r, 1), 1)[0] == all[r]);  // a block of one row
        }
        const Vector tail = d->score(x.middleRows(995, 8), 1);  // one full lane block
        for (Eigen::Index r = 0; r < 8; ++r) CHECK(tail[r] == all[995 + r]);
    }
}
