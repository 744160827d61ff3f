#include <logad/event_json.hpp>

#include <logad/util/civil_time.hpp>
#include <logad/util/json_depth.hpp>
#include <logad/util/json_writer.hpp>
#include <logad/util/thread_scratch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>

namespace logad {

using namespace std::string_view_literals;

namespace {

// Raw writes into a buffer sized beforehand: this runs once per event on `logad parse`'s hot
// path, where growing a std::string piece by piece costs more than the escaping.
struct Out {
    char* p;
    void lit(std::string_view s) noexcept {
        std::memcpy(p, s.data(), s.size());
        p += s.size();
    }
    void ch(char c) noexcept { *p++ = c; }
    void integer(std::uint64_t v) noexcept { p = std::to_chars(p, p + 20, v).ptr; }
    void str(std::string_view s) noexcept { p = util::write_json_string(p, s); }
};

constexpr std::size_t k_fixed_room = 256;  // keys, punctuation, numbers, ts, level

// The decimal text of the numbers a stream of events repeats: the line number, usually the last
// one plus one (incremented in its text), and the template ids of recent events (a small table
// by the id's low bits). std::to_chars was twice a call per event. Each write copies 20 bytes
// whatever the length: the room holds them, and what follows overwrites the rest.
class EventNumbers {
public:
    char* line(char* p, std::uint64_t v) noexcept {
        if (m_line_len != 0 && v == m_line + 1) next_line();
        else m_line_len = static_cast<std::uint8_t>(std::to_chars(m_line_text, m_line_text + 20, v).ptr - m_line_text);
        m_line = v;
        std::memcpy(p, m_line_text, 20);
        return p + m_line_len;
    }
    char* id(char* p, std::uint32_t v) noexcept {
        Id& slot = m_ids[v % k_ids];
        if (slot.len == 0 || slot.id != v) {
            slot.id = v;
            slot.len = static_cast<std::uint8_t>(std::to_chars(slot.text, slot.text + 20, v).ptr - slot.text);
        }
        std::memcpy(p, slot.text, 20);
        return p + slot.len;
    }

private:
    void next_line() noexcept {
        int k = m_line_len - 1;
        while (k >= 0 && m_line_text[k] == '9') m_line_text[k--] = '0';
        if (k >= 0) {
            ++m_line_text[k];
            return;
        }
        std::memmove(m_line_text + 1, m_line_text, m_line_len++);  // 999 -> 1000
        m_line_text[0] = '1';
    }

    static constexpr std::size_t k_ids = 64;
    struct Id {
        std::uint32_t id = 0;
        std::uint8_t len = 0;  // 0: empty
        char text[20] = {};
    };
    std::uint64_t m_line = 0;
    std::uint8_t m_line_len = 0;  // 0: none yet
    char m_line_text[21] = {};
    Id m_ids[k_ids];
};

// What append_event_json keeps between events, one per thread.
struct PerThread {
    std::unique_ptr<char[]> scratch;
    std::size_t scratch_size = 0;
    util::Rfc3339Writer times;  // the last day's date text
    EventNumbers numbers;
};

// The parameter kinds quoted ("\"number\""), each in a 16-byte slot so that one fixed-size copy
// writes it: a name lookup and a memcpy call per parameter cost more than the rest of its kind.
class QuotedKinds {
public:
    QuotedKinds() noexcept {
        for (std::size_t k = 0; k < k_count; ++k) {
            const std::string_view name = param_kind_name(static_cast<ParamKind>(k));
            Slot& slot = m_slots[k];
            slot.text[0] = '"';
            std::memcpy(slot.text + 1, name.data(), name.size());
            slot.text[name.size() + 1] = '"';
            slot.len = static_cast<std::uint8_t>(name.size() + 2);
        }
    }
    // Writes 16 bytes at p (the room holds them), returns past the quoted name.
    char* write(char* p, ParamKind kind) const noexcept {
        auto k = static_cast<std::size_t>(kind);
        if (k >= k_count) k = static_cast<std::size_t>(ParamKind::word);  // as param_kind_name reads it
        std::memcpy(p, m_slots[k].text, 16);
        return p + m_slots[k].len;
    }

private:
    static constexpr std::size_t k_count = static_cast<std::size_t>(ParamKind::user) + 1;
    struct Slot {
        char text[16] = {};  // names are at most 8 bytes
        std::uint8_t len = 0;
    };
    Slot m_slots[k_count];
};

const QuotedKinds& quoted_kinds() noexcept {
    static const QuotedKinds kinds;
    return kinds;
}

PerThread& per_thread() { return util::thread_scratch<PerThread>(); }

}  // namespace

void append_event_json(std::string& out, const Event& event, std::string_view file) {
    const Record& r = event.record;
    std::size_t room = k_fixed_room + util::json_string_bound(file.size()) +
                       util::json_string_bound(r.message.size()) + util::json_string_bound(event.template_text.size());
    for (const Param& p : event.params) room += util::json_string_bound(p.value.size()) + 24;  // and its kind
    for (const Field& f : r.fields) room += util::json_string_bound(f.key.size()) + util::json_string_bound(f.value.size()) + 2;
    // Written into a per-thread scratch buffer, then appended: resizing `out` by the worst-case
    // room first zero-filled about 1.5 KB per event, four times what is written.
    PerThread& t = per_thread();
    if (t.scratch_size < room) {
        t.scratch_size = std::max(room, 2 * t.scratch_size);
        t.scratch = std::make_unique_for_overwrite<char[]>(t.scratch_size);
    }
    char* const begin = t.scratch.get();
    Out o{begin};

    o.lit("{\"logad\":\"event\",\"line\":"sv);
    o.p = t.numbers.line(o.p, r.line);
    if (r.line_count > 1) {
        o.lit(",\"lines\":"sv);
        o.integer(r.line_count);
    }
    if (!file.empty()) {
        o.lit(",\"file\":"sv);
        o.str(file);
    }
    if (r.has_time()) {
        o.lit(",\"ts\":\""sv);
        o.p = t.times.write(o.p, r.ts_ms);
        o.ch('"');
    }
    if (r.level != Level::unknown) {
        o.lit(",\"level\":\""sv);
        o.lit(level_name(r.level));
        o.ch('"');
    }
    o.lit(",\"message\":"sv);
    o.str(r.message);
    o.lit(",\"template_id\":"sv);
    o.p = t.numbers.id(o.p, event.template_id);
    o.lit(",\"template\":"sv);
    o.str(event.template_text);
    o.lit(",\"params\":["sv);
    for (std::size_t i = 0; i < event.params.size(); ++i) {
        if (i) o.ch(',');
        o.str(event.params[i].value);
    }
    o.lit("],\"param_kinds\":["sv);
    const QuotedKinds& kinds = quoted_kinds();
    for (std::size_t i = 0; i < event.params.size(); ++i) {
        if (i) o.ch(',');
        o.p = kinds.write(o.p, event.params[i].kind);  // 16 bytes, within the 24 above
    }
    o.ch(']');
    if (!r.fields.empty()) {
        o.lit(",\"fields\":{"sv);
        for (std::size_t i = 0; i < r.fields.size(); ++i) {
            const Field& field = r.fields[i];
            if (i) o.ch(',');
            o.str(field.key);
            o.ch(':');
            if (field.json) {
                o.lit(field.value);  // already JSON text (written with invalid UTF-8 replaced)
            } else {
                o.str(field.value);
            }
        }
        o.ch('}');
    }
    o.lit("}\n"sv);
    out.append(begin, static_cast<std::size_t>(o.p - begin));
}


std::string read_event_json(std::string_view line, Event& event) {
    using json = nlohmann::ordered_json;  // fields keep the order they were written in, as the record had them
    if (util::json_too_deep(line)) return "JSON nested too deeply";
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) return "not valid JSON";
    if (!j.is_object()) return "not a JSON object";
    Record& r = event.record;
    r.clear();
    event.params.clear();
    event.template_text.clear();
    event.template_id = 0;
    try {
        if (auto it = j.find("line"); it != j.end() && it->is_number_unsigned()) r.line = it->get<std::uint64_t>();
        if (auto it = j.find("lines"); it != j.end() && it->is_number_unsigned()) r.line_count = it->get<std::uint32_t>();
        if (auto it = j.find("ts"); it != j.end() && it->is_string() && !util::parse_rfc3339_ms(it->get_ref<const std::string&>(), r.ts_ms))
            return "\"ts\" is not an RFC 3339 time";
        if (auto it = j.find("level"); it != j.end() && it->is_string()) r.level = parse_level(it->get_ref<const std::string&>());
        auto msg = j.find("message");
        if (msg == j.end() || !msg->is_string()) return "no \"message\" string (is this `logad parse` output?)";
        r.message = msg->get<std::string>();
        if (auto it = j.find("template_id"); it != j.end() && it->is_number_unsigned())
            event.template_id = it->get<std::uint32_t>();
        if (auto it = j.find("template"); it != j.end() && it->is_string()) event.template_text = it->get<std::string>();
        auto params = j.find("params");
        auto kinds = j.find("param_kinds");
        if (params != j.end() && params->is_array()) {
            for (std::size_t i = 0; i < params->size(); ++i) {
                Param p;
                if ((*params)[i].is_string()) p.value = (*params)[i].get<std::string>();
                if (kinds != j.end() && kinds->is_array() && i < kinds->size() && (*kinds)[i].is_string()) {
                    const auto& k = (*kinds)[i].get_ref<const std::string&>();
                    for (int kind = 0; kind <= static_cast<int>(ParamKind::user); ++kind)
                        if (param_kind_name(static_cast<ParamKind>(kind)) == k) p.kind = static_cast<ParamKind>(kind);
                }
                event.params.push_back(std::move(p));
            }
        }
        if (auto it = j.find("fields"); it != j.end() && it->is_object()) {
            for (const auto& [key, value] : it->items()) {
                if (value.is_string())
                    r.fields.push_back({key, value.get<std::string>(), false});
                else
                    r.fields.push_back({key, value.dump(-1, ' ', false, json::error_handler_t::replace), true});
            }
        }
    } catch (const json::exception&) {
        return "a member has the wrong type";
    }
    return {};
}

}  // namespace logad
