#include <logad/ops/metrics.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <cmath>

namespace logad::ops {
namespace {

std::string escape_label_value(const std::string& v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

// The inside of the braces: a="x",b="y".
std::string label_key(const Labels& labels) {
    std::string out;
    for (const auto& [k, v] : labels) {
        if (!out.empty()) out += ',';
        out += k;
        out += "=\"";
        out += escape_label_value(v);
        out += '"';
    }
    return out;
}

std::string braces(const std::string& key) { return key.empty() ? std::string() : "{" + key + "}"; }

void add_double(std::atomic<double>& a, double v) noexcept {
    double old = a.load(std::memory_order_relaxed);
    while (!a.compare_exchange_weak(old, old + v, std::memory_order_relaxed)) {
    }
}

std::string escape_help(const std::string& h) {
    std::string out;
    for (char c : h) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

}  // namespace

std::string render_labels(const Labels& labels) { return braces(label_key(labels)); }

std::string format_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<std::int64_t>(v));
    return fmt::format("{}", v);  // shortest text that reads back the same double
}

void Counter::raise_to(std::uint64_t total) noexcept {
    std::uint64_t old = m_value.load(std::memory_order_relaxed);
    while (old < total && !m_value.compare_exchange_weak(old, total, std::memory_order_relaxed)) {
    }
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : m_bounds(std::move(upper_bounds)), m_buckets(new std::atomic<std::uint64_t>[m_bounds.size() + 1]) {
    for (std::size_t i = 1; i < m_bounds.size(); ++i)
        if (!(m_bounds[i - 1] < m_bounds[i])) throw UsageError("histogram bucket bounds must be ascending");
    for (std::size_t i = 0; i <= m_bounds.size(); ++i) m_buckets[i].store(0);
}

void Histogram::observe(double v) noexcept {
    std::size_t i = 0;
    while (i < m_bounds.size() && v > m_bounds[i]) ++i;  // le: a value equal to a bound falls in it
    m_buckets[i].fetch_add(1, std::memory_order_relaxed);
    add_double(m_sum, v);
    m_count.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
    std::vector<std::uint64_t> out(m_bounds.size() + 1);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = m_buckets[i].load(std::memory_order_relaxed);
    return out;
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, const std::string& type) {
    auto it = m_families.find(name);
    if (it == m_families.end()) {
        m_order.push_back(name);
        it = m_families.emplace(name, Family{}).first;
        it->second.help = help;
        it->second.type = type;
    } else if (it->second.type != type) {
        throw UsageError(fmt::format("metric {} registered as {} and as {}", name, it->second.type, type));
    }
    return it->second;
}

void Registry::declare(const std::string& name, const std::string& help, const std::string& type) {
    std::lock_guard lock(m_mu);
    family(name, help, type);
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(m_mu);
    auto& slot = family(name, help, "counter").counters[label_key(labels)];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(m_mu);
    auto& slot = family(name, help, "gauge").gauges[label_key(labels)];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, const std::vector<double>& bounds,
                               const Labels& labels) {
    std::lock_guard lock(m_mu);
    auto& slot = family(name, help, "histogram").histograms[label_key(labels)];
    if (!slot) slot = std::make_unique<Histogram>(bounds);
    return *slot;
}

void Registry::gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn) {
    std::lock_guard lock(m_mu);
    family(name, help, "gauge").fns[""] = std::move(fn);
}

void Registry::counter_fn(const std::string& name, const std::string& help, const Labels& labels,
                          std::function<double()> fn) {
    std::lock_guard lock(m_mu);
    family(name, help, "counter").fns[label_key(labels)] = std::move(fn);
}

std::string Registry::render() const {
    std::lock_guard lock(m_mu);
    std::string out;
    for (const std::string& name : m_order) {
        const Family& f = m_families.at(name);
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(f.help), name, f.type);
        for (const auto& [key, c] : f.counters) out += fmt::format("{}{} {}\n", name, braces(key), c->value());
        for (const auto& [key, g] : f.gauges) out += fmt::format("{}{} {}\n", name, braces(key), format_value(g->value()));
        for (const auto& [key, fn] : f.fns) {
            const double v = fn();
            if (!std::isnan(v)) out += fmt::format("{}{} {}\n", name, braces(key), format_value(v));
        }
        for (const auto& [key, h] : f.histograms) {
            const auto counts = h->bucket_counts();
            const std::string prefix = key.empty() ? "" : key + ",";
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < counts.size(); ++i) {
                cumulative += counts[i];
                const std::string le = i < h->bounds().size() ? format_value(h->bounds()[i]) : "+Inf";
                out += fmt::format("{}_bucket{{{}le=\"{}\"}} {}\n", name, prefix, le, cumulative);
            }
            // _count is the +Inf bucket, so a scrape between observe()'s steps stays consistent.
            out += fmt::format("{}_sum{} {}\n", name, braces(key), format_value(h->sum()));
            out += fmt::format("{}_count{} {}\n", name, braces(key), cumulative);
        }
    }
    return out;
}

}  // namespace logad::ops
