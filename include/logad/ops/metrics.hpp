#pragma once
// A small metrics registry that renders the Prometheus text exposition format (version 0.0.4):
//   # HELP logad_lines_total Lines read from the input.
//   # TYPE logad_lines_total counter
//   logad_lines_total 1234
// One family per name, with a HELP and a TYPE line, then one sample per label set (histograms:
// cumulative _bucket{le=...} samples, then _sum and _count). Label values are escaped (\\, \", \n).
//
// Thread-safe: the scoring thread updates, the HTTP thread renders. Updates of an existing series
// are lock-free atomics; creating a series (a label set seen for the first time) and rendering
// take the registry's mutex. References returned stay valid for the registry's lifetime.
#include <logad/export.hpp>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace logad::ops {

using Labels = std::vector<std::pair<std::string, std::string>>;  // name, value; order kept

class Counter {
public:
    void add(std::uint64_t n = 1) noexcept { m_value.fetch_add(n, std::memory_order_relaxed); }
    // For totals kept elsewhere (a stage's own counters): never moves backwards.
    void raise_to(std::uint64_t total) noexcept;
    std::uint64_t value() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value{0};
};

class Gauge {
public:
    void set(double v) noexcept { m_value.store(v, std::memory_order_relaxed); }
    double value() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds);  // ascending; +Inf is implicit
    void observe(double v) noexcept;
    const std::vector<double>& bounds() const noexcept { return m_bounds; }
    // Per-bucket (not cumulative) counts, the +Inf bucket last; sum; count.
    std::vector<std::uint64_t> bucket_counts() const;
    double sum() const noexcept { return m_sum.load(std::memory_order_relaxed); }
    std::uint64_t count() const noexcept { return m_count.load(std::memory_order_relaxed); }

private:
    std::vector<double> m_bounds;
    std::unique_ptr<std::atomic<std::uint64_t>[]> m_buckets;
    std::atomic<double> m_sum{0};
    std::atomic<std::uint64_t> m_count{0};
};

class LOGAD_API Registry {
public:
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help, const std::vector<double>& bounds,
                         const Labels& labels = {});
    // A gauge computed when rendered (e.g. a lag from the wall clock). Returning nullopt-like NaN
    // omits the sample, so a value not known yet is absent rather than a made-up number.
    void gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn);
    // A counter whose total is kept elsewhere (a receiver thread's own atomics), read when rendered.
    void counter_fn(const std::string& name, const std::string& help, const Labels& labels, std::function<double()> fn);
    // Declares a family with no series yet, so HELP/TYPE appear before the first sample.
    void declare(const std::string& name, const std::string& help, const std::string& type);

    std::string render() const;

private:
    struct Family {
        std::string help;
        std::string type;  // counter | gauge | histogram
        std::map<std::string, std::unique_ptr<Counter>> counters;  // keyed by rendered labels
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
        std::map<std::string, std::function<double()>> fns;  // computed series, keyed by rendered labels
    };
    Family& family(const std::string& name, const std::string& help, const std::string& type);

    mutable std::mutex m_mu;
    std::vector<std::string> m_order;  // families in registration order
    std::map<std::string, Family> m_families;
};

// `{a="x",b="y"}` with values escaped; "" for no labels.
std::string render_labels(const Labels& labels);
// A sample value as Prometheus writes it: integers without exponent, NaN, +Inf, -Inf.
std::string format_value(double v);

}  // namespace logad::ops
