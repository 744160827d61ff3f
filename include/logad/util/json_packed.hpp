#pragma once
// Long arrays of numbers from a loaded file, kept packed.
//
// A detector's saved state (forest nodes, support vectors, autoencoder weights) is mostly long
// arrays of numbers. nlohmann keeps each number as a 16-byte value in a vector that grows by
// doubling: 5 to 10 times the bytes of `12,` in the file. The file loader (versioned_file.hpp)
// therefore keeps every non-empty array of numbers inside a `detector.state` object as a binary
// value instead: 8 bytes per number (a double), the subtype telling whether every number was
// written as an integer. Integers beyond +-2^53, which a double does not hold exactly, leave the
// array an ordinary one. JSON text has no binary values, so a binary value is always packed.
//
// Readers of those parts use the functions here (and json_integers), which take an ordinary
// array as well; dump_json writes a packed array back as the same JSON numbers.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace logad::util {

inline constexpr std::uint8_t k_packed_integers = 1;  // binary subtypes
inline constexpr std::uint8_t k_packed_numbers = 2;

inline bool is_packed(const nlohmann::json& j) noexcept { return j.is_binary(); }

inline std::size_t packed_size(const nlohmann::json& j) { return j.get_binary().size() / sizeof(double); }

inline double packed_at(const nlohmann::json& j, std::size_t i) {
    double v;
    std::memcpy(&v, j.get_binary().data() + i * sizeof(double), sizeof v);
    return v;
}

// True when every number of a packed array was an integer in the file.
inline bool packed_integers(const nlohmann::json& j) {
    const auto& b = j.get_binary();
    return b.has_subtype() && b.subtype() == k_packed_integers;
}

// Numbers appended by the loader (8 bytes each) become one packed value.
nlohmann::json make_packed(std::vector<std::uint8_t> bytes, bool integers);

// The length of an array, packed or not; throws nlohmann::json::type_error for anything else.
std::size_t json_array_size(const nlohmann::json& j);

// Calls f(double) for each number of an array, packed or not; throws nlohmann::json::type_error
// for anything else.
template <class F>
void for_each_number(const nlohmann::json& j, F&& f) {
    if (is_packed(j)) {
        for (std::size_t i = 0, n = packed_size(j); i < n; ++i) f(packed_at(j, i));
        return;
    }
    if (!j.is_array()) throw nlohmann::json::type_error::create(302, std::string("expected an array of numbers, not ") + j.type_name(), &j);
    for (const nlohmann::json& v : j) {
        if (!v.is_number()) throw nlohmann::json::type_error::create(302, std::string("expected a number, not ") + v.type_name(), &v);
        f(v.get<double>());
    }
}

// An array of numbers, packed or not, as doubles; throws nlohmann::json::type_error otherwise
// (as nlohmann's get<std::vector<double>>() does).
std::vector<double> json_doubles(const nlohmann::json& j);

// dump(-1) with invalid UTF-8 replaced, packed arrays written as their numbers: the same text
// nlohmann writes for the ordinary array.
std::string dump_json(const nlohmann::json& j);

}  // namespace logad::util
