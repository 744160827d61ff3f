#include <logad/util/json_integer.hpp>
#include <logad/featurize/feature_space.hpp>

#include <logad/error.hpp>
#include <logad/util/quantile.hpp>
#include <logad/util/random.hpp>
#include <logad/util/units.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_set>
#include <nlohmann/json.hpp>

namespace logad::featurize {
namespace {

constexpr std::size_t k_reservoir = 512;
constexpr std::size_t k_rate_reservoir = 128;


}  // namespace

std::optional<double> param_number(const Param& p) {
    if (p.kind != ParamKind::number && p.kind != ParamKind::duration && p.kind != ParamKind::size) return {};
    std::string_view text = p.value;
    // `123 bytes (1.2 KB)`: the masker keeps the same amount in other units with the value
    if (const auto open = text.find(" ("); open != std::string_view::npos && text.back() == ')') text = text.substr(0, open);
    const auto q = util::parse_quantity(text);
    if (!q) return {};
    return q->value;
}

std::optional<Param> field_param(const Field& f) {
    std::string_view v = f.value;
    if (f.json) {
        if (v.empty() || v == "null" || v == "true" || v == "false" || v.front() == '{' || v.front() == '[') return {};
        if (v.front() == '"') {
            if (v.size() < 2 || v.back() != '"' || v.find('\\') != std::string_view::npos) return {};
            v = v.substr(1, v.size() - 2);
        }
    }
    Param p{std::string(v), ParamKind::word};
    if (const auto q = util::parse_quantity(v)) {
        p.kind = !q->unit ? ParamKind::number : *q->unit == util::UnitKind::duration ? ParamKind::duration : ParamKind::size;
    }
    return p;
}

std::vector<std::string> template_tokens(std::string_view text) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (cur.size() >= 2 && cur.find("<*>") == std::string::npos) out.push_back(cur);
        cur.clear();
    };
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '_' || c == '<' || c == '*' || c == '>') {
            cur.push_back(static_cast<char>(std::tolower(u)));
        } else {
            flush();
        }
    }
    flush();
    return out;
}

std::size_t FeatureSpace::column_of(std::uint32_t template_id) const {
    const auto it = m_column.find(template_id);
    return it == m_column.end() ? vocab.size() : it->second;
}

const ParamRange* FeatureSpace::range_of(std::uint32_t template_id, std::size_t position) const {
    const auto it = params.find(param_key(template_id, position));
    return it == params.end() ? nullptr : &it->second;
}

void FeatureSpace::index_vocab() {
    m_column.clear();
    for (std::size_t i = 0; i < vocab.size(); ++i) m_column[vocab[i]] = i;
}

double Spread::width() const noexcept {
    const double inner = p99 - p01;
    if (inner > 0) return std::max(inner, 1e-6 * std::abs(p50));
    return std::max({max - min, std::abs(p50), 1.0});
}

const Spread* ParamRange::judged() const noexcept {
    if (kind == SlotKind::measurement) return this;
    if (kind == SlotKind::counter) return &rate;
    return nullptr;
}

namespace {

// One slot as saved: [key, count, p01, p50, p99, min, max, {kind, distinct, rate, per}]. The key
// is a parameter's (template << 16 | position) or a field's name. Element 7 was added with slot
// kinds; readers before it ignore it.
nlohmann::json range_entry(nlohmann::json key, const ParamRange& r) {
    nlohmann::json slot = {{"kind", slot_kind_name(r.kind)}, {"distinct", r.distinct}};
    if (r.kind == SlotKind::counter) {
        slot["rate"] = {r.rate.count, r.rate.p01, r.rate.p50, r.rate.p99, r.rate.min, r.rate.max};
        slot["per"] = r.rate_per == RatePer::second ? "s" : "line";
    }
    return {std::move(key), r.count, r.p01, r.p50, r.p99, r.min, r.max, std::move(slot)};
}

Spread spread_at(const nlohmann::json& a, std::size_t at) {
    return Spread{util::json_integer<std::uint64_t>(a.at(at)), a.at(at + 1).get<double>(), a.at(at + 2).get<double>(),
                  a.at(at + 3).get<double>(), a.at(at + 4).get<double>(), a.at(at + 5).get<double>()};
}

void read_range_entry(const nlohmann::json& p, ParamRange& r) {
    static_cast<Spread&>(r) = spread_at(p, 1);
    if (p.size() <= 7) return;  // saved before slots were typed: a measurement, as it was judged then
    const auto& slot = p.at(7);
    const auto name = slot.at("kind").get<std::string>();
    const auto kind = parse_slot_kind(name);
    if (!kind)
        throw FormatError(fmt::format("feature space names a parameter kind '{}' this logad does not know; "
                                      "the model was written by a newer logad or edited", name));
    r.kind = *kind;
    r.distinct = util::json_integer<std::uint64_t>(slot.at("distinct"));
    if (r.kind == SlotKind::counter) {
        r.rate = spread_at(slot.at("rate"), 0);
        const auto per = slot.at("per").get<std::string>();
        if (per != "s" && per != "line") throw FormatError(fmt::format("feature space has a counter rate per '{}'", per));
        r.rate_per = per == "s" ? RatePer::second : RatePer::line;
    }
}

}  // namespace

nlohmann::json FeatureSpace::to_json() const {
    nlohmann::json j;
    j["max_vocab"] = options.max_vocab;
    j["hash_buckets"] = options.hash_buckets;
    j["n_events"] = n_events;
    // Sorted so that the same training data gives byte-identical model files.
    std::vector<std::uint32_t> ids;
    for (const auto& [id, _] : templates) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    auto& t = j["templates"] = nlohmann::json::array();
    for (std::uint32_t id : ids) t.push_back({id, templates.at(id).count, templates.at(id).text});
    j["vocab"] = vocab;
    std::vector<std::pair<std::string, double>> idf(token_idf.begin(), token_idf.end());
    std::sort(idf.begin(), idf.end());
    j["token_idf"] = idf;
    std::vector<std::uint64_t> keys;
    for (const auto& [k, _] : params) keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    auto& p = j["params"] = nlohmann::json::array();
    for (std::uint64_t k : keys) p.push_back(range_entry(k, params.at(k)));
    if (!fields.empty() || fields_dropped != 0) {  // absent in models saved before fields were read
        std::vector<std::string> names;
        for (const auto& [name, _] : fields) names.push_back(name);
        std::sort(names.begin(), names.end());
        auto& f = j["fields"] = nlohmann::json::array();
        for (const std::string& name : names) f.push_back(range_entry(name, fields.at(name)));
        j["fields_dropped"] = fields_dropped;
    }
    return j;
}

FeatureSpace FeatureSpace::from_json(const nlohmann::json& j) {
    FeatureSpace s;
    try {
        s.options.max_vocab = util::json_integer<std::size_t>(j.at("max_vocab"));
        s.options.hash_buckets = util::json_integer<std::size_t>(j.at("hash_buckets"));
        s.n_events = util::json_integer<std::uint64_t>(j.at("n_events"));
        for (const auto& t : j.at("templates"))
            s.templates[util::json_integer<std::uint32_t>(t.at(0))] = {util::json_integer<std::uint64_t>(t.at(1)), t.at(2).get<std::string>()};
        s.vocab = util::json_integers<std::uint32_t>(j.at("vocab"));
        for (const auto& e : j.at("token_idf")) s.token_idf[e.at(0).get<std::string>()] = e.at(1).get<double>();
        for (const auto& p : j.at("params")) read_range_entry(p, s.params[util::json_integer<std::uint64_t>(p.at(0))]);
        if (const auto f = j.find("fields"); f != j.end()) {  // models saved before fields were read have none
            for (const auto& p : *f) read_range_entry(p, s.fields[p.at(0).get<std::string>()]);
            s.fields_dropped = util::json_integer<std::uint64_t>(j.at("fields_dropped"));
        }
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(fmt::format("feature space is damaged: {}", e.what()));
    }
    if (s.options.hash_buckets == 0 || s.options.hash_buckets > 4096 || s.vocab.size() > s.options.max_vocab)
        throw FormatError("feature space has impossible sizes; the model file was edited or damaged");
    s.index_vocab();
    return s;
}

FeatureSpaceBuilder::FeatureSpaceBuilder(SpaceOptions options) : m_options(options) {
    if (m_options.hash_buckets == 0) throw UsageError("hash_buckets must be at least 1");
}

void FeatureSpaceBuilder::Reservoir::add(double v, std::size_t capacity, std::uint64_t& rng) {
    min = seen == 0 ? v : std::min(min, v);
    max = seen == 0 ? v : std::max(max, v);
    ++seen;
    if (sample.size() < capacity) {
        sample.push_back(v);
    } else {  // reservoir sampling keeps a uniform sample in bounded memory
        const std::uint64_t j = util::splitmix64(rng) % seen;
        if (j < capacity) sample[j] = v;
    }
}

Spread FeatureSpaceBuilder::Reservoir::spread() const {
    if (seen == 0) return {};
    std::vector<double> v = sample;
    std::sort(v.begin(), v.end());
    return {seen, util::quantile_of_sorted(v, 0.01), util::quantile_of_sorted(v, 0.5), util::quantile_of_sorted(v, 0.99), min, max};
}

void FeatureSpaceBuilder::add_reading(Slot& slot, const Param& p, std::optional<double> v, const Record& at, Rngs& rngs) {
    slot.evidence.add(p, v, at);
    if (!v) return;
    slot.values.add(*v, k_reservoir, rngs.values);
    // Rates both ways; build() keeps the one the slot's timestamps allow.
    if (const auto r = counter_rate(slot.per_second, *v, at, RatePer::second))
        slot.rate_per_second.add(*r, k_rate_reservoir, rngs.rates);
    if (const auto r = counter_rate(slot.per_line, *v, at, RatePer::line))
        slot.rate_per_line.add(*r, k_rate_reservoir, rngs.rates);
}

void FeatureSpaceBuilder::add_fields(const Record& r) {
    for (const Field& f : r.fields) {
        if (http_status(f) != 0) continue;  // a status is a class, judged by its share (signals)
        const auto p = field_param(f);
        if (!p) continue;
        auto it = m_fields.find(f.key);
        if (it == m_fields.end()) {
            // A field becomes a slot when it first holds a number; names, ids in hex, paths never do.
            if (p->kind == ParamKind::word) continue;
            if (m_fields.size() >= k_max_numeric_fields) {
                ++m_fields_dropped;
                continue;
            }
            it = m_fields.emplace(f.key, Slot{}).first;
        }
        add_reading(it->second, *p, param_number(*p), r, m_field_rngs);
    }
}

void FeatureSpaceBuilder::add(const Event& event) {
    ++m_events;
    TemplateStats& t = m_templates[event.template_id];
    if (t.count++ == 0) t.text = event.template_text;
    for (std::size_t i = 0; i < event.params.size(); ++i) {
        const Param& p = event.params[i];
        const std::uint64_t key = FeatureSpace::param_key(event.template_id, i);
        auto it = m_slots.find(key);
        if (it == m_slots.end()) {
            // Values without a digit are words: no slot of only those is ever judged.
            if (std::none_of(p.value.begin(), p.value.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
            it = m_slots.emplace(key, Slot{}).first;
        }
        add_reading(it->second, p, param_number(p), event.record, m_param_rngs);
    }
    if (!event.record.fields.empty()) add_fields(event.record);
}

void FeatureSpaceBuilder::end_segment() {
    for (auto& [key, slot] : m_slots) {
        slot.evidence.end_segment();
        slot.per_second = slot.per_line = CounterMark{};
    }
    for (auto& [name, slot] : m_fields) {
        slot.evidence.end_segment();
        slot.per_second = slot.per_line = CounterMark{};
    }
}

FeatureSpace FeatureSpaceBuilder::build() const {
    FeatureSpace s;
    s.options = m_options;
    s.n_events = m_events;
    s.templates = m_templates;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> by_count;
    for (const auto& [id, t] : m_templates) by_count.emplace_back(t.count, id);
    std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (std::size_t i = 0; i < by_count.size() && i < m_options.max_vocab; ++i) s.vocab.push_back(by_count[i].second);
    s.index_vocab();

    // IDF over templates as documents: a word in every template carries no information.
    std::unordered_map<std::string, std::size_t> df;
    for (const auto& [id, t] : m_templates) {
        auto toks = template_tokens(t.text);
        std::sort(toks.begin(), toks.end());
        toks.erase(std::unique(toks.begin(), toks.end()), toks.end());
        for (auto& tok : toks) ++df[tok];
    }
    const double n_docs = static_cast<double>(m_templates.size());
    for (const auto& [tok, n] : df) s.token_idf[tok] = std::log((1.0 + n_docs) / (1.0 + static_cast<double>(n))) + 1.0;

    for (const auto& [key, slot] : m_slots)
        if (slot.values.seen != 0) s.params[key] = range_of_slot(slot);  // never a number: nothing to range-check
    for (const auto& [name, slot] : m_fields)
        if (slot.values.seen != 0) s.fields[name] = range_of_slot(slot);
    s.fields_dropped = m_fields_dropped;
    return s;
}

ParamRange FeatureSpaceBuilder::range_of_slot(const Slot& slot) {
    ParamRange r;
    static_cast<Spread&>(r) = slot.values.spread();
    std::vector<double> sorted = slot.values.sample;
    std::sort(sorted.begin(), sorted.end());
    r.kind = slot.evidence.kind(sorted);
    r.distinct = slot.evidence.distinct();
    if (r.kind != SlotKind::counter) return r;
    // Per second when the slot's occurrences carry times (most rates were measured so)
    const bool timed = 2 * slot.rate_per_second.seen >= slot.rate_per_line.seen && slot.rate_per_second.seen > 0;
    r.rate_per = timed ? RatePer::second : RatePer::line;
    r.rate = (timed ? slot.rate_per_second : slot.rate_per_line).spread();
    return r;
}

}  // namespace logad::featurize
