#pragma once
// Integers read from files a person may have edited. nlohmann's get<int>() on 1e308 casts a
// double out of range, which is undefined behaviour; json_integer<T>() accepts only a JSON
// integer that fits T and throws nlohmann::json::type_error otherwise, so loaders that already
// turn nlohmann's exceptions into "damaged file" messages need nothing else.
#include <logad/util/json_packed.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

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

// Calls f(T) for each integer of an array, packed (json_packed.hpp) or not: the same checks as
// json_integer, without a vector of them all.
template <class T, class F>
void for_each_integer(const nlohmann::json& array, F&& f) {
    if (is_packed(array)) {
        if (!packed_integers(array)) throw nlohmann::json::type_error::create(302, "expected an array of integers", &array);
        for (std::size_t i = 0, n = packed_size(array); i < n; ++i) {
            const double v = packed_at(array, i);  // an integer within +-2^53
            if (v < static_cast<double>(std::numeric_limits<T>::min()) || v > static_cast<double>(std::numeric_limits<T>::max()))
                throw nlohmann::json::type_error::create(302, "expected an integer in range, not " + std::to_string(static_cast<long long>(v)),
                                                         &array);
            f(static_cast<T>(v));
        }
        return;
    }
    if (!array.is_array()) throw nlohmann::json::type_error::create(302, "expected an array of integers", &array);
    for (const nlohmann::json& v : array) f(json_integer<T>(v));
}

// An array of such integers, packed or not.
template <class T>
std::vector<T> json_integers(const nlohmann::json& array) {
    std::vector<T> out;
    out.reserve(json_array_size(array));
    for_each_integer<T>(array, [&](T v) { out.push_back(v); });
    return out;
}

}  // namespace logad::util
