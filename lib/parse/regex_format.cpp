// --regex: an RE2 pattern with named groups, searched anywhere in the line (anchor it with ^ and $
// if you want). (?P<message>...) (or msg, content) is the message, (?P<ts>...) (or time,
// timestamp...) the time, (?P<level>...) the level; other named groups become fields, groups that
// did not take part are left out. A ts or level that does not parse stays in the fields.
#include "formats.hpp"

#include "field_roles.hpp"

#include <logad/error.hpp>

#include <fmt/format.h>
#include <re2/re2.h>

#include <array>

namespace logad::parse {
namespace {

constexpr int k_max_regex_groups = 64;

class RegexFormat final : public LineFormat {
public:
    RegexFormat(const std::string& pattern, const TimeContext& time) : m_time(time) {
        RE2::Options options;
        options.set_log_errors(false);
        m_re = std::make_unique<RE2>(pattern, options);
        if (!m_re->ok())
            throw UsageError(fmt::format("--regex '{}': {}. RE2 writes named groups as (?P<name>...) and has no "
                                         "lookbehind or backreferences",
                                         pattern, m_re->error()));
        m_groups = m_re->NumberOfCapturingGroups();
        if (m_groups >= k_max_regex_groups)
            throw UsageError(fmt::format("--regex has {} groups; at most {} are supported", m_groups, k_max_regex_groups - 1));
        m_names.resize(static_cast<std::size_t>(m_groups) + 1);
        m_roles.resize(m_names.size(), Role::other);
        bool have_message = false;
        for (const auto& [name, index] : m_re->NamedCapturingGroups()) {
            m_names[static_cast<std::size_t>(index)] = name;
            m_roles[static_cast<std::size_t>(index)] = role_of(name);
            if (m_roles[static_cast<std::size_t>(index)] == Role::message) have_message = true;
        }
        if (!have_message)
            throw UsageError(fmt::format("--regex '{}' has no (?P<message>...) group: name the part that is the "
                                         "log message",
                                         pattern));
    }

    std::string_view name() const override { return "regex"; }

    LineResult parse(std::string_view line, Record& out) const override {
        std::array<re2::StringPiece, k_max_regex_groups> sub;
        if (!m_re->Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::UNANCHORED, sub.data(),
                         m_groups + 1))
            return LineResult::fail("regex does not match");
        bool have_message = false;
        for (int g = 1; g <= m_groups; ++g) {
            const auto i = static_cast<std::size_t>(g);
            if (m_names[i].empty() || sub[i].data() == nullptr) continue;
            const std::string_view v(sub[i].data(), sub[i].size());
            const Role role = m_roles[i];
            if (role == Role::message && !have_message) {
                out.message.assign(v);
                have_message = true;
                continue;
            }
            if (role == Role::level && out.level == Level::unknown) {
                out.level = level_of(v);
                if (out.level != Level::unknown) continue;
            }
            if (role == Role::time && !out.has_time()) {
                out.ts_ms = parse_timestamp(v, m_time);
                if (out.has_time()) continue;
            }
            add_field(out, m_names[i], v);
        }
        return LineResult::ok();
    }

private:
    std::unique_ptr<RE2> m_re;
    int m_groups = 0;
    std::vector<std::string> m_names;  // by group index; "" for unnamed groups
    std::vector<Role> m_roles;
    TimeContext m_time;
};

}  // namespace

std::unique_ptr<LineFormat> make_regex_format(const std::string& pattern, const TimeContext& time) {
    return std::make_unique<RegexFormat>(pattern, time);
}

}  // namespace logad::parse
