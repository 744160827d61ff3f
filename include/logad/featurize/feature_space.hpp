#pragma once
// What the featurizers learn from training events and keep in the model: the template
// vocabulary (the most frequent templates get a column, the rest share an out-of-vocabulary
// column), template counts, token IDF weights, and the range of each numeric parameter per
// template and position, and of each numeric field of structured records (JSON members, logfmt
// keys) by name. Unseen templates at scoring time go to the OOV column.
#include <logad/export.hpp>
#include <logad/featurize/columns.hpp>
#include <logad/featurize/feature_row.hpp>
#include <logad/featurize/param_slot.hpp>
#include <logad/record.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace logad::featurize {

struct SpaceOptions {
    std::size_t max_vocab = 200;    // template columns in window/session rows
    std::size_t hash_buckets = 16;  // hashed one-hot and hashed TF-IDF widths in line rows
};

// Robust range of a quantity over training.
struct Spread {
    std::uint64_t count = 0;
    double p01 = 0, p50 = 0, p99 = 0, min = 0, max = 0;
    // How far values normally stray, the unit distances are measured in: p99 - p01, or, when
    // training never varied that much, the magnitude of the values (so a slot that was always
    // 1 is not "infinitely" far off at 2).
    double width() const noexcept;
};

// One numeric parameter slot (template, position): its kind, the range of its values and, for
// a counter, the range of its rate.
struct ParamRange : Spread {
    SlotKind kind = SlotKind::measurement;  // models saved before slots were typed: measurement
    std::uint64_t distinct = 0;             // estimated distinct values; 0 in those older models
    Spread rate;                            // counters only
    RatePer rate_per = RatePer::second;
    // The quantity range checks judge: values of measurements, rates of counters, else none.
    const Spread* judged() const noexcept;
};

struct TemplateStats {
    std::uint64_t count = 0;
    std::string text;
};

// The numeric value of a parameter: numbers as they are, durations in ms, sizes in bytes (the
// units of util/units.hpp, the masker's). Dates, versions and anything else that is not a
// number with an optional unit have none.
std::optional<double> param_number(const Param& p);

// A record field read as a parameter, so a numeric field is typed and ranged like a message's
// parameter: the value without JSON quotes, of kind number, duration or size when it reads as a
// quantity (`98765.4`, `250ms`, `1.5GB`), else word. JSON objects, arrays, booleans and null: none.
std::optional<Param> field_param(const Field& field);

// At most this many numeric fields are learned (the first seen); the rest are counted.
inline constexpr std::size_t k_max_numeric_fields = 64;

class FeatureSpace {
public:
    SpaceOptions options;
    std::uint64_t n_events = 0;
    std::unordered_map<std::uint32_t, TemplateStats> templates;
    std::vector<std::uint32_t> vocab;  // template ids with a column, most frequent first
    std::unordered_map<std::string, double> token_idf;
    std::unordered_map<std::uint64_t, ParamRange> params;  // key: template_id << 16 | position
    // Numeric fields by name (HTTP status fields excepted: a status is a class, see signals);
    // empty in models saved before fields were read.
    std::unordered_map<std::string, ParamRange> fields;
    std::uint64_t fields_dropped = 0;  // numeric readings of fields past k_max_numeric_fields

    static std::uint64_t param_key(std::uint32_t template_id, std::size_t position) {
        return (static_cast<std::uint64_t>(template_id) << 16) | (position & 0xFFFF);
    }
    // Column of a template in window/session rows' template block, or vocab.size() for OOV.
    std::size_t column_of(std::uint32_t template_id) const;
    bool knows(std::uint32_t template_id) const { return templates.count(template_id) != 0; }
    const ParamRange* range_of(std::uint32_t template_id, std::size_t position) const;

    // Rows' columns for this space's sizes (columns.hpp).
    ColumnLayout layout(Granularity g) const { return {g, options.hash_buckets, vocab.size()}; }
    std::size_t width(Granularity g) const { return layout(g).width(); }
    std::vector<std::string> feature_names(Granularity g) const { return layout(g).names(vocab); }

    nlohmann::json to_json() const;
    static FeatureSpace from_json(const nlohmann::json& j);  // throws FormatError

private:
    std::unordered_map<std::uint32_t, std::size_t> m_column;
    friend class FeatureSpaceBuilder;
    void index_vocab();
};

// Learns a FeatureSpace from a stream of training events (bounded memory per parameter slot:
// a fixed reservoir of values and of rates, and the slot's evidence counts and sketch).
class LOGAD_API FeatureSpaceBuilder {
public:
    explicit FeatureSpaceBuilder(SpaceOptions options = {});
    void add(const Event& event);
    // The next event starts another input: counters are not followed across the gap.
    void end_segment();
    FeatureSpace build() const;

private:
    struct Reservoir {
        std::uint64_t seen = 0;
        double min = 0, max = 0;     // exact, unlike the sample's
        std::vector<double> sample;  // uniform reservoir for the quantiles
        void add(double v, std::size_t capacity, std::uint64_t& rng);
        Spread spread() const;
    };
    struct Slot {
        Reservoir values;
        SlotEvidence evidence;
        CounterMark per_second, per_line;
        Reservoir rate_per_second, rate_per_line;
    };
    struct Rngs {
        std::uint64_t values, rates;  // apart, so the values' sample is as it was before rates
    };
    void add_reading(Slot& slot, const Param& p, std::optional<double> v, const Record& at, Rngs& rngs);
    void add_fields(const Record& r);
    static ParamRange range_of_slot(const Slot& slot);

    SpaceOptions m_options;
    std::uint64_t m_events = 0;
    std::unordered_map<std::uint32_t, TemplateStats> m_templates;
    std::unordered_map<std::uint64_t, Slot> m_slots;
    std::unordered_map<std::string, Slot> m_fields;
    std::uint64_t m_fields_dropped = 0;
    Rngs m_param_rngs{0x9E3779B97F4A7C15ULL, 0x2545F4914F6CDD1DULL};
    Rngs m_field_rngs{0xD1B54A32D192ED03ULL, 0x8CB92BA72F3D8DD7ULL};  // apart: params sample as before fields
};

// Tokens of a template text used for TF-IDF: words without variables, lower-cased.
std::vector<std::string> template_tokens(std::string_view template_text);

}  // namespace logad::featurize
