#include <logad/featurize/featurizers.hpp>

#include <algorithm>
#include <cmath>

namespace logad::featurize {
namespace {

// Template texts the per-template columns are kept for, in bytes: ordinary templates never come
// near it; a log of huge unique lines (470 KB templates) would hold each of them.
constexpr std::size_t k_max_template_text_bytes = std::size_t{64} << 20;

// FNV-1a: a fixed hash so that hashed columns mean the same thing in every build.
std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return h;
}

// How far outside its training range a judged parameter or numeric field (a measurement's value,
// a counter's rate) is, in units of the range's spread; 0 inside [p01, p99]. Notes which reading
// was worst in `row` when it beats `worst`, the worst so far.
double out_of_range(const std::vector<ParamReading>& readings, FeatureRow& row, double worst, Transform stored) {
    for (const ParamReading& reading : readings) {
        const Spread& r = *reading.range;
        const double v = reading.value;
        double d = 0;
        if (v > r.p99) d = (v - r.p99) / r.width();
        if (v < r.p01) d = (r.p01 - v) / r.width();
        const double w = to_stored(stored, std::min(d, 1e12));  // as the column table stores it
        if (w > worst) {
            worst = w;
            row.worst_param = static_cast<std::int32_t>(reading.position);
            row.worst_param_value = v;
            row.worst_field = reading.field;
        }
    }
    return worst;
}

}  // namespace

LineFeaturizer::LineFeaturizer(const FeatureSpace& space, Sink<FeatureRow>& next)
    : m_space(space), m_next(next), m_own_readings(space), m_layout(space.layout(Granularity::line)),
      m_length_stored(column_spec(Granularity::line, Column::message_length).transform), m_gap_stored(column_spec(Granularity::line, Column::gap_same_template).transform),
      m_out_of_range_stored(column_spec(Granularity::line, Column::param_out_of_range).transform) {}

const LineFeaturizer::TemplateColumns& LineFeaturizer::template_columns(const Event& e) {
    // A template's text can still change while scoring (the miner generalises it): key on both.
    auto [it, fresh] = m_template_columns.try_emplace(e.template_id);
    TemplateColumns& t = it->second;
    if (!fresh && t.text == e.template_text) return t;
    // Bounded under template explosion, in entries and in bytes (huge unique lines)
    const std::size_t text_bytes = m_template_text_bytes - t.text.size() + e.template_text.size();
    if (m_template_columns.size() > (1u << 16) || (m_template_text_bytes > 0 && text_bytes > k_max_template_text_bytes)) {
        m_template_columns.clear();
        m_template_text_bytes = 0;
        return template_columns(e);
    }
    m_template_text_bytes = text_bytes;
    const std::size_t buckets = m_space.options.hash_buckets;
    t.text = e.template_text;
    t.values.assign(m_layout.width(), 0.0);
    double* v = t.values.data();
    const auto known = m_space.templates.find(e.template_id);
    const double count = known == m_space.templates.end() ? 0.0 : static_cast<double>(known->second.count);
    v[m_layout.at(Column::rarity)] = -std::log((count + 1.0) / (static_cast<double>(m_space.n_events) + 1.0));
    v[m_layout.at(Column::new_template)] = count == 0 ? 1.0 : 0.0;
    const std::string id_text = std::to_string(e.template_id);
    v[m_layout.at(Column::template_hash) + fnv1a(id_text) % buckets] = 1.0;
    double* tfidf = v + m_layout.at(Column::tfidf_hash);
    double norm = 0;
    for (const std::string& tok : template_tokens(e.template_text)) {
        const auto idf = m_space.token_idf.find(tok);
        const double w = idf == m_space.token_idf.end() ? 1.0 : idf->second;
        tfidf[fnv1a(tok) % buckets] += w;
    }
    for (std::size_t i = 0; i < buckets; ++i) norm += tfidf[i] * tfidf[i];
    if (norm > 0)
        for (std::size_t i = 0; i < buckets; ++i) tfidf[i] /= std::sqrt(norm);
    return t;
}

void LineFeaturizer::featurize(const Event& e, FeatureRow& row) {
    row.granularity = Granularity::line;
    row.first_line = row.last_line = e.record.line;
    row.start_ms = row.end_ms = e.record.ts_ms;
    row.template_id = e.template_id;
    row.key.clear();
    const TemplateColumns& t = template_columns(e);
    row.values.assign(t.values.begin(), t.values.end());
    double* v = row.values.data();

    if (e.record.level != Level::unknown) v[m_layout.at(Column::level) + static_cast<int>(e.record.level) - 1] = 1.0;
    v[m_layout.at(Column::message_length)] = to_stored(m_length_stored, static_cast<double>(e.record.message.size()));
    if (e.record.has_time()) {
        auto [last, fresh] = m_last_seen.try_emplace(e.template_id, e.record.ts_ms);
        if (!fresh) {
            const double gap_s = std::max<double>(0, static_cast<double>(e.record.ts_ms - last->second) / 1000.0);
            v[m_layout.at(Column::gap_same_template)] = to_stored(m_gap_stored, gap_s);
            last->second = e.record.ts_ms;
        }
        if (m_last_seen.size() > (1u << 20)) m_last_seen.clear();  // bounded under template explosion
    }
    v[m_layout.at(Column::params)] = static_cast<double>(e.params.size());
    row.worst_param = -1;
    row.worst_field = nullptr;
    double& out = v[m_layout.at(Column::param_out_of_range)];
    if (m_readings == &m_own_readings) m_own_readings.next_event();
    out = out_of_range(m_readings->params(e), row, 0, m_out_of_range_stored);
    out = out_of_range(m_readings->fields(e), row, out, m_out_of_range_stored);  // numeric fields of structured records
}

void LineFeaturizer::push(Event& event) {
    featurize(event, m_row);
    m_next.push(m_row);
}

}  // namespace logad::featurize
