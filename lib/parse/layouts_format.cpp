// The known layouts (known_layouts.cpp) as one LineFormat for auto mode. An RE2::Set finds in one
// pass which layouts match; the first of those (in table order) whose time parses is used. The
// layout that matched the previous line is tried first, since a log keeps its layout.
#include "formats.hpp"

#include "field_roles.hpp"
#include <logad/parse/known_layouts.hpp>

#include <logad/error.hpp>

#include <fmt/format.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace logad::parse {
namespace {

constexpr int k_max_layout_groups = 16;

class Layout {
public:
    explicit Layout(const KnownLayout& known) : m_re(std::string(known.pattern), options()) {
        if (!m_re.ok()) throw Error(fmt::format("built-in layout {}: {}", known.name, m_re.error()));
        m_groups = m_re.NumberOfCapturingGroups();
        if (m_groups >= k_max_layout_groups) throw Error(fmt::format("built-in layout {} has too many groups", known.name));
        m_names.resize(static_cast<std::size_t>(m_groups) + 1);
        m_roles.resize(m_names.size(), Role::other);
        for (const auto& [name, index] : m_re.NamedCapturingGroups()) {
            m_names[static_cast<std::size_t>(index)] = name;
            m_roles[static_cast<std::size_t>(index)] = role_of(name);
        }
    }

    static RE2::Options options() {
        RE2::Options o;
        o.set_log_errors(false);
        o.set_encoding(RE2::Options::EncodingLatin1);  // bytes: a message with invalid UTF-8 still matches .*
        return o;
    }

    // As --regex maps groups (regex_format.cpp), except that a time group that does not parse
    // makes the line no match for this layout.
    bool parse(std::string_view line, Record& out, const TimeContext& time) const {
        std::array<re2::StringPiece, k_max_layout_groups> sub;
        if (!m_re.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::ANCHOR_BOTH, sub.data(),
                        m_groups + 1))
            return false;
        for (int g = 1; g <= m_groups; ++g) {
            const auto i = static_cast<std::size_t>(g);
            if (m_names[i].empty() || sub[i].data() == nullptr) continue;
            const std::string_view v(sub[i].data(), sub[i].size());
            switch (m_roles[i]) {
                case Role::message: out.message.assign(v); continue;
                case Role::time:
                    out.ts_ms = parse_timestamp(v, time);
                    if (!out.has_time()) return false;
                    continue;
                case Role::level:
                    out.level = level_of(v);
                    if (out.level != Level::unknown) continue;
                    break;
                case Role::other: break;
            }
            add_field(out, m_names[i], v);
        }
        return true;
    }

private:
    RE2 m_re;
    int m_groups = 0;
    std::vector<std::string> m_names;
    std::vector<Role> m_roles;
};

class LayoutsFormat final : public LineFormat {
public:
    explicit LayoutsFormat(const TimeContext& time) : m_time(time), m_set(Layout::options(), RE2::ANCHOR_START) {
        for (const KnownLayout& known : known_layouts()) {
            m_layouts.push_back(std::make_unique<Layout>(known));
            // The set needs only the header: without the trailing message (.* matches any bytes
            // in Latin-1) its automaton stops where the header ends instead of at the line's end.
            std::string_view header = known.pattern;
            constexpr std::string_view k_tail = "(?P<message>.*)";
            if (header.size() >= k_tail.size() && header.substr(header.size() - k_tail.size()) == k_tail)
                header.remove_suffix(k_tail.size());
            if (m_set.Add(header, nullptr) < 0) throw Error(fmt::format("built-in layout {}", known.name));
        }
        if (!m_set.Compile()) throw Error("cannot compile the built-in layouts");
    }

    std::string_view name() const override { return "layouts"; }

    // Not thread-safe: remembers the last layout that matched.
    LineResult parse(std::string_view line, Record& out) const override {
        if (m_last < m_layouts.size()) {
            if (m_layouts[m_last]->parse(line, out, m_time)) return LineResult::ok();
            clear(out);
        }
        m_matches.clear();
        if (!m_set.Match(re2::StringPiece(line.data(), line.size()), &m_matches))
            return LineResult::fail("no known layout");
        std::sort(m_matches.begin(), m_matches.end());
        for (int k : m_matches) {
            const auto i = static_cast<std::size_t>(k);
            if (i == m_last) continue;
            if (m_layouts[i]->parse(line, out, m_time)) {
                m_last = i;
                return LineResult::ok();
            }
            clear(out);
        }
        return LineResult::fail("no known layout");
    }

    void save_history(std::vector<std::size_t>& out) const override { out.push_back(m_last); }
    void load_history(const std::vector<std::size_t>& in, std::size_t& at) const override { m_last = in.at(at++); }

private:
    static void clear(Record& out) {
        const std::uint64_t n = out.line;
        out.clear();
        out.line = n;
    }

    TimeContext m_time;
    std::vector<std::unique_ptr<Layout>> m_layouts;  // RE2 does not move
    RE2::Set m_set;
    mutable std::vector<int> m_matches;
    mutable std::size_t m_last = std::size_t(-1);
};

}  // namespace

std::unique_ptr<LineFormat> make_layouts_format(const TimeContext& time) {
    return std::make_unique<LayoutsFormat>(time);
}

}  // namespace logad::parse
