#pragma once
// Integers read from files a person may have edited. nlohmann's get<int>() on 1e308 casts a
// double out of range, which is undefined behaviour; json_integer<T>() accepts only a JSON
// integer that fits T and throws nlohmann::json::type_error otherwise, so loaders that already
// turn nlohmann's exceptions into "damaged file" messages need nothing else.
#include <nlohmann/json.hpp>

#include <limits>
#include <type_traits>
#include <vector>

namespace logad::util {

template <class T>
T json_integer(const nlohmann::json& v) {
    static_assert(std::is_integral_v<T>);
    bool fits = false;
    if (v.is_number_unsigned()) {
        fits = v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    } else if (v.is_number_integer()) {
        const std::int64_t i = v.get<std::int64_t>();
        fits = std::is_signed_v<T> ? i >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                                         i <= static_cast<std::int64_t>(std::numeric_limits<T>::max())
                                   : i >= 0 && static_cast<std::uint64_t>(i) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    }
    if (!fits) throw nlohmann::json::type_error::create(302, "expected an integer in range, not " + v.dump(), &v);
    return v.get<T>();
}

// A size, count or limit read from a file: an integer within [lo, hi], or the same type_error,
// naming the value (`what`) and its range so the "damaged file" message says what is wrong.
template <class T>
T json_integer_in(const nlohmann::json& v, T lo, T hi, const char* what) {
    const T x = json_integer<T>(v);
    if (x < lo || x > hi)
        throw nlohmann::json::type_error::create(
            302, std::string(what) + " is " + v.dump() + ", outside " + std::to_string(lo) + ".." + std::to_string(hi), &v);
    return x;
}

}  // namespace logad::util

namespace logad::util {

// An array of such integers.
template <class T>
std::vector<T> json_integers(const nlohmann::json& array) {
    if (!array.is_array()) throw nlohmann::json::type_error::create(302, "expected an array of integers", &array);
    std::vector<T> out;
    out.reserve(array.size());
    for (const nlohmann::json& v : array) out.push_back(json_integer<T>(v));
    return out;
}

}  // namespace logad::util
