#pragma once
// The labelled incidents examples/incidents/generate.py writes (incidents.csv), and whether a
// score or incident record touches one: a line it covers, or an overlapping time span.
#include <logad/util/civil_time.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace logad::test {

struct LabelledIncident {
    std::string kind;
    std::string start, end;  // RFC 3339, comparable as text
    std::vector<std::uint64_t> lines;
};

inline std::vector<LabelledIncident> read_labelled_incidents(const std::string& path) {
    const auto rfc3339 = [](std::int64_t ms) {
        std::string s;
        util::append_rfc3339_ms(s, ms);
        return s;
    };
    std::ifstream in(path);
    std::vector<LabelledIncident> out;
    std::string line;
    std::getline(in, line);  // header: id,kind,start_ms,end_ms,lines
    while (std::getline(in, line)) {
        std::istringstream cells(line);
        std::string id, kind, start, end, lines;
        std::getline(cells, id, ',');
        std::getline(cells, kind, ',');
        std::getline(cells, start, ',');
        std::getline(cells, end, ',');
        std::getline(cells, lines);
        LabelledIncident i{kind, rfc3339(std::stoll(start)), rfc3339(std::stoll(end)), {}};
        std::istringstream nums(lines);
        for (std::uint64_t n; nums >> n;) i.lines.push_back(n);
        out.push_back(i);
    }
    return out;
}

inline bool touches_labelled(const nlohmann::json& r, const LabelledIncident& i) {
    const auto first = r.value("first_line", std::uint64_t{0}), last = r.value("last_line", std::uint64_t{0});
    for (auto l : i.lines)
        if (first <= l && l <= last) return true;
    if (!r.contains("start") || !r.contains("end")) return false;
    const std::string s = r["start"], e = r["end"];
    return s <= i.end && i.start <= e;
}

}  // namespace logad::test
