#include <logad/io/json_records.hpp>

#include "wrapped_source.hpp"

#include <logad/error.hpp>
#include <logad/util/json_depth.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <string_view>
#include <vector>

namespace logad::io {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_record_bytes = std::size_t(64) << 20;  // one record, or a top-level object
constexpr std::size_t k_peek_bytes = std::size_t(1) << 20;

bool is_time_key(std::string_view k) { return k == "time" || k == "timestamp" || k == "@timestamp" || k == "ts"; }

// The first element of a record array: an object a search hit or a timed event would be.
bool is_record_like(const json& element) {
    if (!element.is_object()) return false;
    for (const char* k : {"_source", "timestamp", "@timestamp", "time"})
        if (element.contains(k)) return true;
    return false;
}

bool holds_record_array(const json& object, int depth) {
    for (const auto& [key, v] : object.items()) {
        if (v.is_array() && !v.empty() && is_record_like(v.front())) return true;
        if (v.is_object() && depth < 4 && holds_record_array(v, depth + 1)) return true;
    }
    return false;
}

// True when `line` ends inside a JSON string (a cut-off JSON line rather than a pretty-printed
// document's opening line).
bool ends_in_string(std::string_view line) {
    bool in = false, escape = false;
    for (char c : line) {
        if (escape) escape = false;
        else if (in && c == '\\') escape = true;
        else if (c == '"') in = !in;
    }
    return in;
}

// Where nlohmann's parser stopped, to tell a valid prefix (it ran out of input) from text that
// is not JSON at all.
class ErrorAt final : public nlohmann::json_sax<json> {
public:
    std::size_t position = 0;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t at, const std::string&, const nlohmann::detail::exception&) override {
        position = at;
        return false;
    }
};

bool opens_document(std::string_view line) {
    const std::size_t b = line.find_first_not_of(" \t");
    if (b == std::string_view::npos || (line[b] != '{' && line[b] != '[')) return false;
    line.remove_prefix(b);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    if (util::json_too_deep(line)) return false;
    const json j = json::parse(line, nullptr, false);
    if (!j.is_discarded()) {
        if (j.is_array()) return !j.empty() && j.front().is_object();
        if (!j.is_object()) return false;
        for (const auto& [key, v] : j.items())
            if (is_time_key(key)) return false;  // a record with a list in it
        return holds_record_array(j, 0);
    }
    const bool cut = line.size() >= k_peek_bytes / 2;  // the peek stopped before the line's end
    if (!cut && ends_in_string(line)) return false;
    ErrorAt error;
    json::sax_parse(line, &error);
    return error.position >= line.size();  // ran out of input: a document that goes on
}

class JsonRecordSource final : public WrappedSource {
public:
    explicit JsonRecordSource(std::unique_ptr<ByteSource> raw) : WrappedSource(std::move(raw)) {}

    std::size_t read(char* buf, std::size_t size) override {
        while (m_pos == m_out.size()) {
            if (!m_error.empty()) throw InputError(m_error);  // once the records before it are out
            if (m_eof) return 0;
            m_out.clear();
            m_pos = 0;
            const std::size_t n = m_raw->read(m_in, sizeof m_in);
            if (n == 0) {
                m_eof = true;
                if (!m_stack.empty() || m_in_string)
                    m_error = fmt::format("{}: truncated: the input ends inside the JSON document opened at line {}; "
                                          "the records before it were read",
                                          name(), m_top_line);
                continue;
            }
            try {
                for (std::size_t i = 0; i < n; ++i) scan(m_in[i]);
            } catch (const InputError& e) {
                m_error = e.what();
                m_eof = true;
            }
        }
        const std::size_t n = std::min(size, m_out.size() - m_pos);
        std::memcpy(buf, m_out.data() + m_pos, n);
        m_pos += n;
        return n;
    }

private:
    enum class Role : std::uint8_t { plain, records, candidate };  // candidate: a first element decides
    struct Frame {
        char open;
        Role role;
    };

    bool holds_input() const override { return m_pos < m_out.size(); }
    bool capturing() const { return m_record_depth != 0; }
    bool top_is_object() const { return !m_stack.empty() && m_stack.front().open == '{'; }

    [[noreturn]] void fail(const std::string& what) const {
        throw InputError(fmt::format("{}: line {}: {}; the input was read as a JSON document because its first line "
                                     "opens one",
                                     name(), m_line, what));
    }

    std::string* sink() {
        if (capturing()) return &m_record;
        return top_is_object() ? &m_top : nullptr;
    }

    void put(char c) {
        std::string* s = sink();
        if (!s) return;
        if (s->size() >= k_max_record_bytes) fail("a JSON record over 64 MiB");
        s->push_back(c);
    }

    void emit(const std::string& text, std::uint64_t line) {
        for (; m_out_line < line; ++m_out_line) m_out.push_back('\n');
        m_out += text;
        m_out.push_back('\n');
        ++m_out_line;
    }

    void finish_record() {
        Frame& array = m_stack[m_record_depth - 1];
        m_record_depth = 0;
        if (array.role == Role::candidate) {
            const json first = util::json_too_deep(m_record) ? json() : json::parse(m_record, nullptr, false);
            if (!m_top_has_time && is_record_like(first)) {
                array.role = Role::records;
                m_top_has_records = true;
            } else {
                array.role = Role::plain;
                m_top += m_record;  // part of the top-level object after all
                return;
            }
        }
        emit(m_record, m_record_line);
    }

    void end_top() {
        if (!m_top_has_records && !m_top.empty()) emit(m_top, m_top_line);
        m_top.clear();
    }

    void end_string() {
        if (m_key_at_top) m_top_has_time = m_top_has_time || is_time_key(m_key);
        m_key_at_top = false;
    }

    void scan(char c) {
        if (m_in_string) {
            put(c);
            if (m_key_at_top) m_key.push_back(c);
            if (m_escape) m_escape = false;
            else if (c == '\\') m_escape = true;
            else if (c == '"') {
                m_in_string = false;
                if (m_key_at_top) m_key.pop_back();
                end_string();
            } else if (c == '\n') fail("a line break inside a JSON string");
            return;
        }
        if (c == '\n') {
            ++m_line;
            return;
        }
        if (c == ' ' || c == '\t' || c == '\r') return;
        if (m_stack.empty()) {
            if (c != '{' && c != '[') fail(fmt::format("'{}' where a JSON document should start", c));
            m_top_line = m_line;
            m_top_has_time = m_top_has_records = false;
            m_stack.push_back({c, c == '[' ? Role::records : Role::plain});
            m_expect_key = c == '{';
            put(c);
            return;
        }
        Frame& f = m_stack.back();
        if (f.open == '[' && f.role != Role::plain && !capturing() && c != ']' && c != ',') {
            if (f.role == Role::candidate && c != '{') {
                f.role = Role::plain;
            } else {
                m_record_depth = m_stack.size();
                m_record.clear();
                m_record_line = m_line;
            }
        }
        if (capturing() && m_stack.size() == m_record_depth && (c == ',' || c == ']')) finish_record();
        put(c);
        const bool at_top = m_stack.size() == 1 && f.open == '{' && !capturing();
        switch (c) {
            case '"':
                m_in_string = true;
                m_key_at_top = at_top && m_expect_key;
                m_key.clear();
                if (at_top) m_expect_key = false;
                break;
            case ',':
                if (at_top) m_expect_key = true;
                break;
            case '{':
            case '[': {
                const bool candidate = c == '[' && top_is_object() && !capturing();
                m_stack.push_back({c, candidate ? Role::candidate : Role::plain});
                break;
            }
            case '}':
            case ']':
                if ((c == '}') != (f.open == '{'))
                    fail(fmt::format("'{}' does not close the '{}' before it: not well-formed JSON", c, f.open));
                m_stack.pop_back();
                if (m_stack.empty()) end_top();
                break;
            default: break;
        }
    }

    char m_in[1 << 16];
    std::string m_out;
    std::size_t m_pos = 0;
    bool m_eof = false;
    std::string m_error;  // what stopped the read, said after the records before it

    std::vector<Frame> m_stack;
    bool m_in_string = false, m_escape = false;
    std::string m_top;     // the top-level object's text, when it turns out to be a record itself
    std::string m_record;  // the element being read
    std::size_t m_record_depth = 0;  // stack size of the array whose element is being read; 0: none
    std::uint64_t m_line = 1, m_top_line = 1, m_record_line = 1, m_out_line = 1;
    bool m_top_has_time = false, m_top_has_records = false;
    bool m_expect_key = false, m_key_at_top = false;  // the top-level object's member names, for its time
    std::string m_key;
};

}  // namespace

std::unique_ptr<ByteSource> split_json_records(std::unique_ptr<ByteSource> source) {
    if (!opens_document(peek_first_line(source, k_peek_bytes))) return source;
    return std::make_unique<JsonRecordSource>(std::move(source));
}

}  // namespace logad::io
