#include <logad/present/template_list.hpp>

#include <logad/util/json_writer.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <ostream>

namespace logad::present {

void print_templates(const mine::TemplateMiner& miner, bool json, bool by_count, std::ostream& out) {
    auto list = miner.templates();
    if (by_count)
        std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
    std::string buf;
    for (const mine::TemplateInfo& t : list) {
        if (json) {
            util::JsonObject j(buf);
            j.key("template_id").integer(t.id).key("count").integer(static_cast<std::int64_t>(t.count));
            j.key("template").str(t.text).key("example").str(t.example);
            j.close();
            buf.push_back('\n');
        } else {
            buf += fmt::format("{:>10}  {:>9}  {}\n", t.id, t.count, t.text);
        }
    }
    out << buf;
    out.flush();
}

}  // namespace logad::present
