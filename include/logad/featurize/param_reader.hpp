#pragma once
// The parameters range checks judge, read along a stream: a measurement's value, or a
// counter's rate since its previous occurrence, each with the training range of that
// quantity. Ids, dates and hashes are never read. The line featurizer's param_out_of_range
// column and the param_range signal both read parameters through this, so they agree; the
// field_range signal reads a structured record's numeric fields the same way.
#include <logad/featurize/feature_space.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <unordered_map>
#include <vector>

namespace logad::featurize {

struct ParamReading {
    std::size_t position = 0;             // 0-based, in the event's params (or the record's fields)
    double value = 0;                     // the value, or the counter's rate
    const ParamRange* slot = nullptr;
    const Spread* range = nullptr;        // the training range of `value`
    const std::string* field = nullptr;   // the field's name when a field was read
    bool rate() const noexcept { return slot->kind == SlotKind::counter; }
};

// Slots with fewer training readings than this are not judged.
inline constexpr std::uint64_t k_min_judged = 10;

// Words for a reading's quantity: "param 2", "rate of param 2 (increase per second)", "field
// duration_ms", "rate of field bytes_total (increase per second)".
std::string reading_subject(const ParamReading& r);

class ParamReader {
public:
    explicit ParamReader(const FeatureSpace& space) : m_space(space) {}
    // The judged parameters of `e`, in order (valid until the next call).
    const std::vector<ParamReading>& read(const Event& e);
    // The judged numeric fields of `e`'s record, in field order (valid until the next call).
    const std::vector<ParamReading>& read_fields(const Event& e);
    void reset() {  // another input: counters start over
        m_marks.clear();
        m_field_marks.clear();
    }

private:
    const FeatureSpace& m_space;
    std::unordered_map<std::uint64_t, CounterMark> m_marks;  // counter slots only: bounded by the model
    std::unordered_map<const ParamRange*, CounterMark> m_field_marks;  // the same for fields
    // The slot of the field seen last at each position: records of one format list their fields
    // in the same order, so most lines find theirs by a string compare, not a hash lookup.
    std::vector<std::pair<std::string, const std::pair<const std::string, ParamRange>*>> m_field_at;
    std::vector<ParamReading> m_out;
};

// The readings of the current event for every stage that judges it: the line featurizer and
// the range signals of a scorer read each line once, and a counter's rate is computed once per
// occurrence, whichever stage asks first. Whoever feeds the stages calls next_event() first.
class EventReadings {
public:
    explicit EventReadings(const FeatureSpace& space) : m_reader(space) {}
    void next_event() noexcept { m_have_params = m_have_fields = false; }
    const std::vector<ParamReading>& params(const Event& e) {
        if (!m_have_params) m_params = m_reader.read(e);
        m_have_params = true;
        return m_params;
    }
    const std::vector<ParamReading>& fields(const Event& e) {
        if (!m_have_fields) m_fields = m_reader.read_fields(e);
        m_have_fields = true;
        return m_fields;
    }
    // The current event's readings, read elsewhere by a reader that saw the same events (the
    // line preparation of `score --threads`: pipeline/line_preparer.hpp). Swapped in: the
    // vectors get earlier readings' memory back.
    void take(std::vector<ParamReading>& params, std::vector<ParamReading>& fields) noexcept {
        m_params.swap(params);
        m_fields.swap(fields);
        m_have_params = m_have_fields = true;
    }
    // The other way: the current event's readings (read now if not yet) swapped out.
    void give(const Event& e, std::vector<ParamReading>& params, std::vector<ParamReading>& fields) {
        this->params(e);
        this->fields(e);
        m_params.swap(params);
        m_fields.swap(fields);
        m_have_params = m_have_fields = false;
    }

private:
    ParamReader m_reader;
    std::vector<ParamReading> m_params, m_fields;
    bool m_have_params = false, m_have_fields = false;
};

}  // namespace logad::featurize
