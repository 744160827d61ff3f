#include <logad/featurize/columns.hpp>

#include <fmt/core.h>

#include <array>
#include <cmath>
#include <stdexcept>

namespace logad::featurize {

const char* const k_level_names[k_levels] = {"trace", "debug", "info", "warn", "error", "fatal"};

namespace {

constexpr ColumnSpec k_line[] = {
    {Column::rarity, "rarity", Block::one, Transform::none, Speech::template_count},
    {Column::new_template, "new_template", Block::one, Transform::none, Speech::template_count},
    {Column::level, "level:", Block::levels, Transform::none, Speech::level_share},
    {Column::message_length, "log_message_length", Block::one, Transform::log1p, Speech::phrase, "message of {value} bytes", " bytes"},
    {Column::gap_same_template, "log_gap_same_template", Block::one, Transform::log1p, Speech::phrase,
     "`{template}` came {value} s after the previous one", " s"},
    {Column::params, "params", Block::one, Transform::none, Speech::param_count},
    {Column::param_out_of_range, "param_out_of_range", Block::one, Transform::log1p, Speech::param_reading},
    {Column::template_hash, "template_hash:", Block::hash_buckets, Transform::none, Speech::template_count},
    {Column::tfidf_hash, "tfidf_hash:", Block::hash_buckets, Transform::none, Speech::template_count},
};

constexpr ColumnSpec k_events{Column::events, "events", Block::one, Transform::none, Speech::phrase, "{value} events {span}", ""};
constexpr ColumnSpec k_distinct{Column::distinct_templates, "distinct_templates", Block::one, Transform::none, Speech::phrase,
                                "{value} distinct templates {span}", ""};
constexpr ColumnSpec k_new{Column::new_templates, "new_templates", Block::one, Transform::none, Speech::phrase,
                           "{value} never-seen templates {span}, none in training"};
constexpr ColumnSpec k_levels_counted{Column::level, "level:", Block::levels, Transform::none, Speech::phrase,
                                      "{value} {level} events {span}", ""};
constexpr ColumnSpec k_counts{Column::template_count, "count:", Block::vocab, Transform::none, Speech::phrase,
                              "`{template}` {value} times {span}", ""};
constexpr ColumnSpec k_unseen{Column::unseen_count, "count:unseen", Block::one, Transform::none, Speech::phrase,
                              "{value} events of rare or new templates {span}", ""};

constexpr ColumnSpec k_window[] = {k_events, k_distinct, k_new, k_levels_counted, k_counts, k_unseen};
constexpr ColumnSpec k_session[] = {
    k_events,
    {Column::duration, "duration_s", Block::one, Transform::none, Speech::phrase, "the session lasted {value} s", " s"},
    k_distinct,
    k_new,
    k_levels_counted,
    k_counts,
    k_unseen,
};

// log1p of the small whole numbers most stored quantities are (lengths in bytes, gaps in whole
// seconds, counts), computed once by the C library's log1p, so a lookup gives the bits a call
// would. Called through a pointer the compiler cannot see through: it would otherwise compute
// the table while compiling, correctly rounded, which differs from the library in the last bit
// for 66 of these 4096 numbers (and changes models).
constexpr std::size_t k_small_whole = 4096;

const std::array<double, k_small_whole>& log1p_of_small_wholes() {
    static const std::array<double, k_small_whole> table = [] {
        double (*volatile library_log1p)(double) = std::log1p;
        std::array<double, k_small_whole> t{};
        for (std::size_t i = 0; i < t.size(); ++i) t[i] = library_log1p(static_cast<double>(i));
        return t;
    }();
    return table;
}

}  // namespace

double to_stored(Transform t, double raw) noexcept {
    if (t != Transform::log1p) return raw;
    if (raw >= 0 && raw < static_cast<double>(k_small_whole) && !std::signbit(raw)) {  // -0 keeps its sign
        const auto whole = static_cast<std::size_t>(raw);
        if (static_cast<double>(whole) == raw) return log1p_of_small_wholes()[whole];
    }
    return std::log1p(raw);
}

double from_stored(Transform t, double stored) noexcept { return t == Transform::log1p ? std::expm1(stored) : stored; }

std::span<const ColumnSpec> column_table(Granularity g) {
    switch (g) {
        case Granularity::line: return k_line;
        case Granularity::window: return k_window;
        case Granularity::session: return k_session;
    }
    return {};
}

const ColumnSpec& column_spec(Granularity g, Column c) {
    for (const ColumnSpec& spec : column_table(g))
        if (spec.column == c) return spec;
    throw std::logic_error(fmt::format("the {} column table has no column {}", granularity_name(g), static_cast<int>(c)));
}

ColumnLayout::ColumnLayout(Granularity g, std::size_t hash_buckets, std::size_t vocab_size)
    : m_granularity(g), m_hash_buckets(hash_buckets), m_vocab_size(vocab_size) {
    m_offset.fill(k_absent);
    for (const ColumnSpec& c : column_table(g)) {
        m_offset[static_cast<std::size_t>(c.column)] = m_width;
        switch (c.block) {
            case Block::one: m_width += 1; break;
            case Block::levels: m_width += k_levels; break;
            case Block::hash_buckets: m_width += hash_buckets; break;
            case Block::vocab: m_width += vocab_size; break;
        }
    }
}

std::vector<std::string> ColumnLayout::names(std::span<const std::uint32_t> vocab) const {
    std::vector<std::string> out;
    out.reserve(m_width);
    for (const ColumnSpec& c : column_table(m_granularity)) {
        switch (c.block) {
            case Block::one: out.emplace_back(c.name); break;
            case Block::levels:
                for (const char* l : k_level_names) out.push_back(fmt::format("{}{}", c.name, l));
                break;
            case Block::hash_buckets:
                for (std::size_t i = 0; i < m_hash_buckets; ++i) out.push_back(fmt::format("{}{}", c.name, i));
                break;
            case Block::vocab:
                for (std::size_t i = 0; i < m_vocab_size; ++i) out.push_back(fmt::format("{}{}", c.name, vocab[i]));
                break;
        }
    }
    return out;
}

std::optional<NamedColumn> find_column(Granularity g, std::string_view name) {
    const auto table = column_table(g);
    for (const ColumnSpec& c : table)  // whole names first: `count:unseen` is not a template id
        if (c.block == Block::one && c.name == name) return NamedColumn{&c, {}};
    for (const ColumnSpec& c : table)
        if (c.block != Block::one && name.size() > c.name.size() && name.starts_with(c.name))
            return NamedColumn{&c, name.substr(c.name.size())};
    return {};
}

}  // namespace logad::featurize
