#include <logad/featurize/featurizers.hpp>

#include <algorithm>
#include <cmath>

namespace logad::featurize {
namespace {

// FNV-1a: a fixed hash so that hashed columns mean the same thing in every build.
std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return h;
}

// How far outside its training range a numeric parameter is, in units of the range's spread;
// 0 inside [p01, p99]. Slots with few training values are not judged.
double out_of_range(const FeatureSpace& space, const Event& e) {
    double worst = 0;
    for (std::size_t i = 0; i < e.params.size(); ++i) {
        const ParamRange* r = space.range_of(e.template_id, i);
        if (r == nullptr || r->count < 10) continue;
        const auto v = param_number(e.params[i]);
        if (!v) continue;
        const double spread = std::max({r->p99 - r->p01, 1e-6 * std::abs(r->p50), 1e-9});
        double d = 0;
        if (*v > r->p99) d = (*v - r->p99) / spread;
        if (*v < r->p01) d = (r->p01 - *v) / spread;
        worst = std::max(worst, std::log1p(std::min(d, 1e12)));
    }
    return worst;
}

}  // namespace

LineFeaturizer::LineFeaturizer(const FeatureSpace& space, Sink<FeatureRow>& next) : m_space(space), m_next(next) {}

void LineFeaturizer::featurize(const Event& e, FeatureRow& row) {
    const std::size_t buckets = m_space.options.hash_buckets;
    row.granularity = Granularity::line;
    row.first_line = row.last_line = e.record.line;
    row.start_ms = row.end_ms = e.record.ts_ms;
    row.template_id = e.template_id;
    row.key.clear();
    row.values.assign(m_space.width(Granularity::line), 0.0);
    double* v = row.values.data();

    const auto it = m_space.templates.find(e.template_id);
    const double count = it == m_space.templates.end() ? 0.0 : static_cast<double>(it->second.count);
    v[0] = -std::log((count + 1.0) / (static_cast<double>(m_space.n_events) + 1.0));
    v[1] = count == 0 ? 1.0 : 0.0;
    if (e.record.level != Level::unknown) v[2 + static_cast<int>(e.record.level) - 1] = 1.0;
    v[8] = std::log1p(static_cast<double>(e.record.message.size()));
    if (e.record.has_time()) {
        auto [last, fresh] = m_last_seen.try_emplace(e.template_id, e.record.ts_ms);
        if (!fresh) {
            v[9] = std::log1p(std::max<double>(0, static_cast<double>(e.record.ts_ms - last->second) / 1000.0));
            last->second = e.record.ts_ms;
        }
        if (m_last_seen.size() > (1u << 20)) m_last_seen.clear();  // bounded under template explosion
    }
    v[10] = static_cast<double>(e.params.size());
    v[11] = out_of_range(m_space, e);

    const std::string id_text = std::to_string(e.template_id);
    v[12 + fnv1a(id_text) % buckets] = 1.0;
    double* tfidf = v + 12 + buckets;
    double norm = 0;
    for (const std::string& tok : template_tokens(e.template_text)) {
        const auto idf = m_space.token_idf.find(tok);
        const double w = idf == m_space.token_idf.end() ? 1.0 : idf->second;
        tfidf[fnv1a(tok) % buckets] += w;
    }
    for (std::size_t i = 0; i < buckets; ++i) norm += tfidf[i] * tfidf[i];
    if (norm > 0)
        for (std::size_t i = 0; i < buckets; ++i) tfidf[i] /= std::sqrt(norm);
}

void LineFeaturizer::push(Event& event) {
    featurize(event, m_row);
    m_next.push(m_row);
}

}  // namespace logad::featurize
