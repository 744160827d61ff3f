#include <logad/util/json_packed.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace logad::util {
namespace {

using json = nlohmann::json;

std::string dump_scalar(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

bool holds_packed(const json& j) {
    if (is_packed(j)) return true;
    if (j.is_structured())
        for (const json& v : j)
            if (holds_packed(v)) return true;
    return false;
}

void write_packed(const json& j, std::string& out) {
    const bool integers = packed_integers(j);
    out += '[';
    for (std::size_t i = 0, n = packed_size(j); i < n; ++i) {
        if (i) out += ',';
        const double v = packed_at(j, i);
        // Integers were packed only within +-2^53, so the cast is exact.
        if (integers) out += fmt::format("{}", static_cast<std::int64_t>(v));
        else out += dump_scalar(json(v));
    }
    out += ']';
}

void write_json(const json& j, std::string& out) {
    if (is_packed(j)) {
        write_packed(j, out);
    } else if (j.is_object()) {
        out += '{';
        bool first = true;
        for (auto it = j.cbegin(); it != j.cend(); ++it) {
            if (!first) out += ',';
            first = false;
            out += dump_scalar(json(it.key()));
            out += ':';
            write_json(it.value(), out);
        }
        out += '}';
    } else if (j.is_array()) {
        out += '[';
        bool first = true;
        for (const json& v : j) {
            if (!first) out += ',';
            first = false;
            write_json(v, out);
        }
        out += ']';
    } else {
        out += dump_scalar(j);
    }
}

}  // namespace

json make_packed(std::vector<std::uint8_t> bytes, bool integers) {
    bytes.shrink_to_fit();
    return json::binary(std::move(bytes), integers ? k_packed_integers : k_packed_numbers);
}

std::size_t json_array_size(const json& j) {
    if (is_packed(j)) return packed_size(j);
    if (!j.is_array()) throw json::type_error::create(302, std::string("expected an array, not ") + j.type_name(), &j);
    return j.size();
}

std::vector<double> json_doubles(const json& j) {
    std::vector<double> out;
    out.reserve(json_array_size(j));
    for_each_number(j, [&](double v) { out.push_back(v); });
    return out;
}

std::string dump_json(const json& j) {
    if (!holds_packed(j)) return dump_scalar(j);
    std::string out;
    write_json(j, out);
    return out;
}

}  // namespace logad::util
