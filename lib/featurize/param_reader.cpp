#include <logad/featurize/param_reader.hpp>

#include <fmt/core.h>

namespace logad::featurize {

std::string reading_subject(const ParamReading& r) {
    const std::string what = r.field ? fmt::format("field {}", *r.field) : fmt::format("param {}", r.position + 1);
    if (!r.rate()) return what;
    return fmt::format("rate of {} (increase per {})", what, r.slot->rate_per == RatePer::second ? "second" : "line");
}

const std::vector<ParamReading>& ParamReader::read(const Event& e) {
    m_out.clear();
    for (std::size_t i = 0; i < e.params.size(); ++i) {
        const ParamRange* r = m_space.range_of(e.template_id, i);
        if (r == nullptr) continue;
        const Spread* judged = r->judged();
        if (judged == nullptr) continue;
        const auto v = param_number(e.params[i]);
        if (!v) continue;
        double value = *v;
        if (r->kind == SlotKind::counter) {
            const auto rate = counter_rate(m_marks[FeatureSpace::param_key(e.template_id, i)], *v, e.record, r->rate_per);
            if (!rate) continue;
            value = *rate;
        }
        if (judged->count < k_min_judged) continue;
        m_out.push_back({i, value, r, judged});
    }
    return m_out;
}

const std::vector<ParamReading>& ParamReader::read_fields(const Event& e) {
    m_out.clear();
    if (m_space.fields.empty()) return m_out;
    const std::vector<Field>& fields = e.record.fields;
    if (m_field_at.size() < fields.size()) m_field_at.resize(fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
        auto& [name, slot] = m_field_at[i];
        if (name != fields[i].key) {
            name = fields[i].key;
            const auto it = m_space.fields.find(name);
            slot = it == m_space.fields.end() ? nullptr : &*it;
        }
        if (slot == nullptr) continue;
        const ParamRange* r = &slot->second;
        const Spread* judged = r->judged();
        if (judged == nullptr || judged->count < k_min_judged) continue;
        const auto p = field_param(fields[i]);
        const auto v = p ? param_number(*p) : std::nullopt;
        if (!v) continue;
        double value = *v;
        if (r->kind == SlotKind::counter) {
            const auto rate = counter_rate(m_field_marks[r], *v, e.record, r->rate_per);
            if (!rate) continue;
            value = *rate;
        }
        ParamReading reading{i, value, r, judged};
        reading.field = &slot->first;
        m_out.push_back(reading);
    }
    return m_out;
}

}  // namespace logad::featurize
