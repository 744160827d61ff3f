// Header format strings (Loghub style): see header_pattern.hpp for the matching rules and
// line_format.hpp for how fields map to the Record.
#include "formats.hpp"

#include "field_roles.hpp"
#include "header_pattern.hpp"

#include <logad/error.hpp>
#include <logad/parse/timestamp.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace logad::parse {
namespace {

class HeaderFormat final : public LineFormat {
public:
    HeaderFormat(std::string_view spec, const TimeContext& time) : m_pattern(spec), m_time(time) {
        if (m_pattern.names().size() > 64)
            throw UsageError(fmt::format("format '{}' has more than 64 fields: merge some", spec));
        for (const auto& name : m_pattern.names()) m_roles.push_back(role_of(name));
        if (std::find(m_roles.begin(), m_roles.end(), Role::message) == m_roles.end())
            throw UsageError(fmt::format("format '{}' has no <Content> (or <Message>) field: name the part of the "
                                         "line that is the message",
                                         spec));
    }

    std::string_view name() const override { return "header"; }

    LineResult parse(std::string_view line, Record& out) const override {
        // The benchmark matches line.strip().
        while (!line.empty() && is_loghub_space(line.front())) line.remove_prefix(1);
        while (!line.empty() && is_loghub_space(line.back())) line.remove_suffix(1);
        constexpr std::size_t k_max_fields = 64;
        Span caps[k_max_fields];
        const std::size_t count = m_pattern.names().size();
        if (count > k_max_fields || !m_pattern.match(line, caps)) return LineResult::fail("header format does not match");
        // caps lie within the line: no substr range check per field
        const auto text = [&](std::size_t i) {
            return std::string_view(line.data() + caps[i].begin, caps[i].end - caps[i].begin);
        };

        // Date and time pieces together first ("Jun" "14" "15:16:01"), else each alone.
        std::uint64_t time_used = 0;  // bit i: field i went into ts_ms
        char buf[256];
        std::size_t len = 0;
        std::uint64_t time_fields = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (m_roles[i] != Role::time || !caps[i].set()) continue;
            const std::string_view t = text(i);
            if (len + t.size() + 1 > sizeof buf) break;
            if (len) buf[len++] = ' ';
            std::memcpy(buf + len, t.data(), t.size());
            len += t.size();
            time_fields |= std::uint64_t(1) << i;
        }
        if (time_fields) {
            out.ts_ms = parse_timestamp({buf, len}, m_time);
            if (out.has_time()) {
                time_used = time_fields;
            } else {
                for (std::size_t i = 0; i < count && !out.has_time(); ++i) {
                    if (!(time_fields >> i & 1)) continue;
                    out.ts_ms = parse_timestamp(text(i), m_time);
                    if (out.has_time()) time_used = std::uint64_t(1) << i;
                }
            }
        }

        bool have_message = false;
        for (std::size_t i = 0; i < count; ++i) {
            if (!caps[i].set() || (time_used >> i & 1)) continue;
            const std::string_view t = text(i);
            if (m_roles[i] == Role::message && !have_message) {
                // append skips assign's check for text inside the string, which an empty one has not
                if (out.message.empty()) out.message.append(t);
                else out.message.assign(t);
                have_message = true;
                continue;
            }
            if (m_roles[i] == Role::level && out.level == Level::unknown) {
                out.level = level_of(t);
                if (out.level != Level::unknown) continue;
            }
            add_field(out, m_pattern.names()[i], t);
        }
        return LineResult::ok();
    }

private:
    HeaderPattern m_pattern;
    std::vector<Role> m_roles;
    TimeContext m_time;
};

}  // namespace

std::unique_ptr<LineFormat> make_header_format(std::string_view spec, const TimeContext& time) {
    return std::make_unique<HeaderFormat>(spec, time);
}

}  // namespace logad::parse
