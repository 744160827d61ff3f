#include <logad/featurize/param_reader.hpp>

#include <fmt/core.h>

namespace logad::featurize {

std::string reading_subject(const ParamReading& r) {
    if (!r.rate()) return fmt::format("param {}", r.position + 1);
    return fmt::format("rate of param {} (increase per {})", r.position + 1,
                       r.slot->rate_per == RatePer::second ? "second" : "line");
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

}  // namespace logad::featurize
