#include "formats.hpp"

#include <logad/error.hpp>

#include <fmt/format.h>

namespace logad::parse {

const std::vector<std::string>& builtin_format_names() {
    static const std::vector<std::string> k_names = {"auto", "json", "logfmt", "syslog", "clf", "cri", "raw"};
    return k_names;
}

std::unique_ptr<LineFormat> make_format(const FormatOptions& options) {
    const TimeContext time = TimeContext::make(options.year, options.tz);
    if (!options.regex.empty()) return make_regex_format(options.regex, time);
    const std::string& f = options.format;
    if (f.empty() || f == "auto") return make_auto_format(time);
    if (f == "json") return make_json_format(time);
    if (f == "logfmt") return make_logfmt_format(time);
    if (f == "syslog") return make_syslog_format(time);
    if (f == "clf") return make_clf_format(time);
    if (f == "cri") return make_cri_format(time);
    if (f == "raw") return make_raw_format();
    if (f.find_first_of("<>()\\") != std::string::npos) return make_header_format(f, time);
    throw UsageError(fmt::format("unknown format '{}': use one of {}, or a header format string such as "
                                 "'<Date> <Time> <Level> <Component>: <Content>'",
                                 f, fmt::join(builtin_format_names(), ", ")));
}

}  // namespace logad::parse
