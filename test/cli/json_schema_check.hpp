#pragma once
// A small JSON Schema (2020-12) checker for the keywords the repository's schemas use: type,
// required, properties, additionalProperties (false or a schema), const, enum, items, pattern,
// minimum, minLength and local $ref ("#/$defs/name"). Any other keyword makes it fail loudly,
// so a schema never passes because a keyword was silently ignored.
#include <nlohmann/json.hpp>

#include <regex>
#include <string>
#include <vector>

namespace logad::test {

class JsonSchemaCheck {
public:
    explicit JsonSchemaCheck(nlohmann::json schema) : m_root(std::move(schema)) {}

    // The problems found in `doc`, each "path: what"; empty when it conforms.
    std::vector<std::string> problems(const nlohmann::json& doc) const {
        std::vector<std::string> out;
        check(m_root, doc, "$", out);
        return out;
    }

private:
    static bool has_type(const nlohmann::json& v, const std::string& type) {
        if (type == "object") return v.is_object();
        if (type == "array") return v.is_array();
        if (type == "string") return v.is_string();
        if (type == "integer") return v.is_number_integer() || v.is_number_unsigned();
        if (type == "number") return v.is_number();
        if (type == "boolean") return v.is_boolean();
        if (type == "null") return v.is_null();
        return false;
    }

    void check(const nlohmann::json& schema, const nlohmann::json& v, const std::string& path,
               std::vector<std::string>& out) const {
        for (const auto& [keyword, arg] : schema.items()) {
            if (keyword == "$ref") {
                const std::string prefix = "#/$defs/";
                const std::string ref = arg.get<std::string>();
                if (ref.rfind(prefix, 0) != 0) out.push_back(path + ": unsupported $ref " + ref);
                else check(m_root.at("$defs").at(ref.substr(prefix.size())), v, path, out);
            } else if (keyword == "type") {
                bool any = false;
                for (const auto& t : arg.is_array() ? arg : nlohmann::json::array({arg})) any = any || has_type(v, t);
                if (!any) out.push_back(path + ": not of type " + arg.dump());
            } else if (keyword == "required") {
                for (const auto& k : arg)
                    if (v.is_object() && !v.contains(k.get<std::string>())) out.push_back(path + ": missing " + k.dump());
            } else if (keyword == "properties") {
                if (!v.is_object()) continue;
                for (const auto& [k, sub] : arg.items())
                    if (v.contains(k)) check(sub, v.at(k), path + "." + k, out);
            } else if (keyword == "additionalProperties") {
                if (!v.is_object()) continue;
                const nlohmann::json& known = schema.contains("properties") ? schema.at("properties") : nlohmann::json::object();
                for (const auto& [k, sub] : v.items()) {
                    if (known.contains(k)) continue;
                    if (arg.is_boolean()) {
                        if (!arg.get<bool>()) out.push_back(path + ": undocumented member " + k);
                    } else {
                        check(arg, sub, path + "." + k, out);
                    }
                }
            } else if (keyword == "const") {
                if (v != arg) out.push_back(path + ": not " + arg.dump());
            } else if (keyword == "enum") {
                if (std::find(arg.begin(), arg.end(), v) == arg.end()) out.push_back(path + ": " + v.dump() + " not in " + arg.dump());
            } else if (keyword == "items") {
                if (!v.is_array()) continue;
                for (std::size_t i = 0; i < v.size(); ++i) check(arg, v[i], path + "[" + std::to_string(i) + "]", out);
            } else if (keyword == "pattern") {
                if (v.is_string() && !std::regex_search(v.get<std::string>(), std::regex(arg.get<std::string>())))
                    out.push_back(path + ": " + v.dump() + " does not match " + arg.get<std::string>());
            } else if (keyword == "minimum") {
                if (v.is_number() && v.get<double>() < arg.get<double>()) out.push_back(path + ": below " + arg.dump());
            } else if (keyword == "minLength") {
                if (v.is_string() && v.get<std::string>().size() < arg.get<std::size_t>()) out.push_back(path + ": too short");
            } else if (keyword != "$schema" && keyword != "$id" && keyword != "title" && keyword != "description" &&
                       keyword != "$defs") {
                out.push_back(path + ": the checker does not know the keyword " + keyword);
            }
        }
    }

    nlohmann::json m_root;
};

}  // namespace logad::test
