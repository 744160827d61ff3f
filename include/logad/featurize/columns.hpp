#pragma once
// The columns of feature rows as data: one table per granularity gives each column (or block of
// columns) its name, how the raw quantity is stored (and undone) and how a reason says it. The
// featurizers write a column by its kind at the offset the table gives, FeatureSpace's widths and
// names come from the table, and explanations find a column's meaning here by its name. Adding a
// column is one row in a table (lib/featurize/columns.cpp) plus the featurizer writing it.
#include <logad/export.hpp>
#include <logad/featurize/feature_row.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace logad::featurize {

// What a column holds.
enum class Column : std::uint8_t {
    rarity,              // -log of the template's training share
    new_template,        // 1 when training never saw the template
    level,               // block: one per level, trace..fatal
    message_length,      // bytes of the message
    gap_same_template,   // seconds since the previous event of the template
    params,              // parameters in the message
    param_out_of_range,  // spreads the worst parameter or numeric field is outside its range
    template_hash,       // block: hashed one-hot of the template id
    tfidf_hash,          // block: hashed TF-IDF of the template's words
    events,
    duration,  // seconds from a session's first to last event
    distinct_templates,
    new_templates,
    template_count,  // block: count per vocabulary template
    unseen_count,    // count of templates outside the vocabulary
};
inline constexpr std::size_t k_column_kinds = 15;

// Line/window/session rows share this block layout for level counts.
inline constexpr std::size_t k_levels = 6;  // trace..fatal; unknown is not counted
extern const char* const k_level_names[k_levels];

// How a raw quantity is stored: heavy-tailed ones (lengths, gaps, distances) as log1p.
enum class Transform : std::uint8_t { none, log1p };
double to_stored(Transform t, double raw) noexcept;
double from_stored(Transform t, double stored) noexcept;

// How many columns a table entry spans.
enum class Block : std::uint8_t { one, levels, hash_buckets, vocab };

// How a reason says a column.
enum class Speech : std::uint8_t {
    phrase,          // `phrase`, then the training range in `unit` when the column has one
    template_count,  // through its template's training count (no quantity of its own to quote)
    level_share,     // the share of training lines at the level, when the line has it
    param_reading,   // the worst parameter or field against its training range
    param_count,     // parameters found against those expected
};

struct ColumnSpec {
    Column column;
    std::string_view name;  // a column's name, or the prefix of a block's names
    Block block = Block::one;
    Transform transform = Transform::none;
    Speech speech = Speech::phrase;
    // fmt text with named arguments {value} (in the reader's unit), {template}, {span}, {level}
    std::string_view phrase = {};
    // After the phrase, ", training median ...<unit>"; none: the phrase says all.
    std::optional<std::string_view> unit = {};
};

std::span<const ColumnSpec> column_table(Granularity g);
// The entry of a column the table has (std::logic_error otherwise: a featurizer asked for a
// column its table lacks).
const ColumnSpec& column_spec(Granularity g, Column c);

// Where each column of a table sits in a row, for a space's sizes.
class LOGAD_API ColumnLayout {
public:
    ColumnLayout(Granularity g, std::size_t hash_buckets, std::size_t vocab_size);
    std::size_t width() const noexcept { return m_width; }
    bool has(Column c) const noexcept { return m_offset[static_cast<std::size_t>(c)] != k_absent; }
    // The first index of the column's block; the column must be in the table.
    std::size_t at(Column c) const noexcept { return m_offset[static_cast<std::size_t>(c)]; }
    // Where a template's count goes: its vocabulary column (FeatureSpace::column_of), or the
    // out-of-vocabulary column for vocab_size.
    std::size_t count_column(std::size_t vocab_column) const noexcept {
        return vocab_column < m_vocab_size ? at(Column::template_count) + vocab_column : at(Column::unseen_count);
    }
    // Names in row order; the vocabulary block names each template id.
    std::vector<std::string> names(std::span<const std::uint32_t> vocab) const;

private:
    static constexpr std::size_t k_absent = static_cast<std::size_t>(-1);
    Granularity m_granularity;
    std::size_t m_hash_buckets, m_vocab_size, m_width = 0;
    std::array<std::size_t, k_column_kinds> m_offset;
};

// A column found by its name: its entry and, in a block, the member's part of the name (the
// level, the bucket, the template id).
struct NamedColumn {
    const ColumnSpec* spec = nullptr;
    std::string_view member;
};
std::optional<NamedColumn> find_column(Granularity g, std::string_view name);

}  // namespace logad::featurize
