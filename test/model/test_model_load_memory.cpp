// Loading a model takes memory in proportion to its bytes (issue 18, item 5): measured here as
// the peak of bytes allocated through operator new while load_model() runs, so the figure does
// not depend on the allocator or on what the test process held before. Parsed into an nlohmann
// DOM first, a forest took 4.5 times its file; with the arrays packed, 1.6 to 2.4.
#include <logad/model/detector.hpp>
#include <logad/model/model_file.hpp>
#include <logad/util/json_packed.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <random>
#include <unistd.h>
#include <nlohmann/json.hpp>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LOGAD_TEST_NO_COUNTING_NEW 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define LOGAD_TEST_NO_COUNTING_NEW 1
#endif

#ifndef LOGAD_TEST_NO_COUNTING_NEW
// The sanitizers bring their own operator new: the count is only kept in plain builds.
namespace {
std::atomic<std::size_t> g_live_bytes{0};
std::atomic<std::size_t> g_peak_bytes{0};
constexpr std::size_t k_header = 16;  // keeps the default new alignment

void* counted_alloc(std::size_t n) noexcept {
    void* block = std::malloc(n + k_header);
    if (!block) return nullptr;
    *static_cast<std::size_t*>(block) = n;
    const std::size_t now = g_live_bytes.fetch_add(n, std::memory_order_relaxed) + n;
    std::size_t peak = g_peak_bytes.load(std::memory_order_relaxed);
    while (now > peak && !g_peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
    return static_cast<char*>(block) + k_header;
}

void counted_free(void* p) noexcept {
    if (!p) return;
    void* block = static_cast<char*>(p) - k_header;
    g_live_bytes.fetch_sub(*static_cast<std::size_t*>(block), std::memory_order_relaxed);
    std::free(block);
}

void* counted_or_throw(std::size_t n) {
    if (void* p = counted_alloc(n)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted_or_throw(n); }
void* operator new[](std::size_t n) { return counted_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_free(p); }
#endif

TEST_CASE("loading a large forest takes memory in proportion to the file's bytes", "[model][reliability]") {
#ifdef LOGAD_TEST_NO_COUNTING_NEW
    WARN("skipped: the sanitizer build counts memory its own way");
#else
    std::mt19937_64 gen(7);
    std::normal_distribution<double> n(0.0, 1.0);
    logad::model::Matrix x(4000, 8);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = n(gen);
    for (const char* params : {R"({"trees": 2000})", R"({"trees": 1000, "extension_level": 3})"}) {
        INFO(params);
        logad::model::ModelFile m;
        m.detector = logad::model::make_detector("iforest", nlohmann::json::parse(params));
        m.detector->fit(x, {});
        m.rule = logad::model::ThresholdRule::parse("contamination=0.01");
        m.threshold = 0.6;
        const auto path = std::filesystem::temp_directory_path() / ("logad-test-" + std::to_string(::getpid()) + "-load-memory.json");
        logad::model::save_model(path, m);
        const auto bytes = static_cast<double>(std::filesystem::file_size(path));
        REQUIRE(bytes > 3e6);  // large enough that fixed costs do not matter

        const std::size_t before = g_live_bytes.load();
        g_peak_bytes.store(before);
        const logad::model::ModelFile back = logad::model::load_model(path);
        const double peak = static_cast<double>(g_peak_bytes.load() - before);
        std::filesystem::remove(path);
        INFO("file " << bytes << " bytes, peak allocated while loading " << peak << " bytes");
        CHECK(peak < 3.0 * bytes);  // measured 2.4 (axis-parallel) and 1.6 (oblique)
        CHECK((back.detector->score(x).array() == m.detector->score(x).array()).all());
    }
#endif
}

TEST_CASE("declared sizes the bytes do not back are refused as damage before memory is taken for them", "[model][reliability]") {
#ifdef LOGAD_TEST_NO_COUNTING_NEW
    WARN("skipped: the sanitizer build counts memory its own way");
#else
    std::mt19937_64 gen(11);
    std::normal_distribution<double> n(0.0, 1.0);
    logad::model::Matrix x(300, 3);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = n(gen);
    auto refused_cheaply = [](const nlohmann::json& state, const char* algo) {
        auto det = logad::model::make_detector(algo);
        const std::size_t before = g_live_bytes.load();
        g_peak_bytes.store(before);
        CHECK_THROWS_WITH(det->from_json(state), Catch::Contains("damaged"));
        CHECK(g_peak_bytes.load() - before < std::size_t(1) << 20);  // the declared sizes would take gigabytes
    };
    {  // autoencoder layers of 60000 x 60000 declared (14 GB of floats), a few weights present
        auto det = logad::model::make_detector("autoencoder", {{"bottleneck", 2}, {"max_epochs", 20}});
        det->fit(x, {});
        nlohmann::json state = det->to_json();
        state["sizes"] = {3, 60000, 60000, 60000, 3};
        refused_cheaply(state, "autoencoder");
    }
    {  // one-class SVM of 2^24 features declared, rows of 3 present
        auto det = logad::model::make_detector("ocsvm");
        det->fit(x, {});
        nlohmann::json state = det->to_json();
        state["n_features"] = std::int64_t(1) << 24;
        refused_cheaply(state, "ocsvm");
    }
#endif
}
