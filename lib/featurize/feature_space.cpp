#include <logad/util/json_integer.hpp>
#include <logad/featurize/feature_space.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

namespace logad::featurize {
namespace {

constexpr std::size_t k_reservoir = 512;
const char* const k_level_names[k_levels] = {"trace", "debug", "info", "warn", "error", "fatal"};

double quantile_sorted(const std::vector<double>& v, double q) {
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::uint64_t next_random(std::uint64_t& state) {  // splitmix64: same numbers on every platform
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace

std::optional<double> param_number(const Param& p) {
    if (p.kind != ParamKind::number && p.kind != ParamKind::duration && p.kind != ParamKind::size) return {};
    const char* begin = p.value.c_str();
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end == begin || !std::isfinite(v)) return {};
    std::string unit(end);
    for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
    if (unit.empty()) return v;
    struct Unit {
        const char* name;
        double factor;
    };
    static constexpr Unit k_units[] = {{"ns", 1e-6}, {"us", 1e-3}, {"µs", 1e-3}, {"ms", 1},   {"s", 1000},
                                       {"sec", 1000}, {"m", 60000}, {"min", 60000}, {"h", 3600000},
                                       {"b", 1},     {"kb", 1e3},  {"k", 1e3},   {"kib", 1024}, {"mb", 1e6},
                                       {"mib", 1048576}, {"gb", 1e9}, {"gib", 1073741824.0}, {"tb", 1e12}};
    for (const Unit& u : k_units)
        if (unit == u.name) return v * u.factor;
    return v;
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

std::size_t FeatureSpace::width(Granularity g) const {
    switch (g) {
        case Granularity::line: return 12 + 2 * options.hash_buckets;
        case Granularity::window: return 3 + k_levels + vocab.size() + 1;
        case Granularity::session: return 4 + k_levels + vocab.size() + 1;
    }
    return 0;
}

std::vector<std::string> FeatureSpace::feature_names(Granularity g) const {
    std::vector<std::string> names;
    auto levels = [&](const char* prefix) {
        for (const char* l : k_level_names) names.push_back(fmt::format("{}{}", prefix, l));
    };
    auto template_block = [&] {
        for (std::uint32_t id : vocab) names.push_back(fmt::format("count:{}", id));
        names.push_back("count:unseen");
    };
    switch (g) {
        case Granularity::line:
            names = {"rarity", "new_template"};
            levels("level:");
            for (const char* n : {"log_message_length", "log_gap_same_template", "params", "param_out_of_range"})
                names.push_back(n);
            for (std::size_t i = 0; i < options.hash_buckets; ++i) names.push_back(fmt::format("template_hash:{}", i));
            for (std::size_t i = 0; i < options.hash_buckets; ++i) names.push_back(fmt::format("tfidf_hash:{}", i));
            break;
        case Granularity::window:
            names = {"events", "distinct_templates", "new_templates"};
            levels("level:");
            template_block();
            break;
        case Granularity::session:
            names = {"events", "duration_s", "distinct_templates", "new_templates"};
            levels("level:");
            template_block();
            break;
    }
    return names;
}

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
    for (std::uint64_t k : keys) {
        const ParamRange& r = params.at(k);
        p.push_back({k, r.count, r.p01, r.p50, r.p99, r.min, r.max});
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
        for (const auto& p : j.at("params"))
            s.params[util::json_integer<std::uint64_t>(p.at(0))] = {util::json_integer<std::uint64_t>(p.at(1)), p.at(2).get<double>(),
                                                      p.at(3).get<double>(), p.at(4).get<double>(),
                                                      p.at(5).get<double>(), p.at(6).get<double>()};
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

void FeatureSpaceBuilder::add(const Event& event) {
    ++m_events;
    TemplateStats& t = m_templates[event.template_id];
    if (t.count++ == 0) t.text = event.template_text;
    for (std::size_t i = 0; i < event.params.size(); ++i) {
        const auto v = param_number(event.params[i]);
        if (!v) continue;
        Slot& slot = m_slots[FeatureSpace::param_key(event.template_id, i)];
        slot.min = slot.seen == 0 ? *v : std::min(slot.min, *v);
        slot.max = slot.seen == 0 ? *v : std::max(slot.max, *v);
        ++slot.seen;
        if (slot.sample.size() < k_reservoir) {
            slot.sample.push_back(*v);
        } else {  // reservoir sampling keeps a uniform sample in bounded memory
            const std::uint64_t j = next_random(m_rng) % slot.seen;
            if (j < k_reservoir) slot.sample[j] = *v;
        }
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

    for (const auto& [key, slot] : m_slots) {
        std::vector<double> v = slot.sample;
        std::sort(v.begin(), v.end());
        s.params[key] = {slot.seen, quantile_sorted(v, 0.01), quantile_sorted(v, 0.5), quantile_sorted(v, 0.99),
                         slot.min, slot.max};
    }
    return s;
}

}  // namespace logad::featurize
