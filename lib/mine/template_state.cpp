// The miner's JSON state (the payload of `--state` files; the CLI adds the versioned envelope):
//   {"options": {"masks": [{"name": N, "pattern": RE2}...], "max_templates": N},
//    "evicted": N,
//    "templates": [{"id": N, "tokens": ["Receiving", "block", "<*>"...], "slots": [0, 0, 1...],
//                   "count": N, "example": "..."}...],   most recently used first
//    "cache": [["masked message", id]...],
//    "aliases": [[merged id, id it merged into]...],   oldest first
//    "groups": [[p, q, [id...]]...]}
// aliases and groups (template_evidence.cpp) came with state version 2; a version 1 state has
// neither and loads with empty ones (its templates were never merged).
// slots: 0 constant token, 1 one-token variable, 2 variable of one or more tokens. The cache is
// saved so a reloaded miner sends every known masked form to the same template as before.
// from_json checks everything and throws FormatError rather than trust a damaged file.
#include "miner_impl.hpp"

#include <logad/util/json_integer.hpp>
#include <logad/error.hpp>
#include <nlohmann/json.hpp>

namespace logad::mine {

bool is_blank_free(std::string_view s) noexcept {
    for (char c : s)
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return false;
    return true;
}

nlohmann::json TemplateMiner::to_json() const {
    const Impl& im = *m_impl;
    nlohmann::json masks = nlohmann::json::array();
    for (const UserMask& m : im.options.masks) masks.push_back({{"name", m.name}, {"pattern", m.pattern}});
    nlohmann::json templates = nlohmann::json::array();
    for (std::uint32_t i = im.m_lru_head; i != Template::k_none; i = im.m_templates[i].next) {
        const Template& t = im.m_templates[i];
        nlohmann::json slots = nlohmann::json::array();
        for (Slot s : t.slots) slots.push_back(static_cast<int>(s));
        templates.push_back(
            {{"id", t.id}, {"tokens", t.tokens}, {"slots", std::move(slots)}, {"count", t.count}, {"example", t.example}});
    }
    nlohmann::json cache = nlohmann::json::array();
    for (const auto& [key, entry] : im.m_cache) {
        const Template& t = im.m_templates[entry.index];
        if (t.live && t.generation == entry.generation) cache.push_back({key, t.id});
    }
    nlohmann::json aliases = nlohmann::json::array();
    for (std::uint32_t from : im.m_alias_order) aliases.push_back({from, im.m_alias.at(from)});
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& [key, g] : im.m_groups)
        groups.push_back({g.p, g.q, std::vector<std::uint32_t>(g.ids.begin(), g.ids.begin() + g.size)});
    return {{"options", {{"masks", std::move(masks)}, {"max_templates", im.options.max_templates}}},
            {"evicted", im.stats.evicted},
            {"templates", std::move(templates)},
            {"cache", std::move(cache)},
            {"aliases", std::move(aliases)},
            {"groups", std::move(groups)}};
}

namespace {

[[noreturn]] void damaged(const std::string& what) {
    throw FormatError("miner state is damaged (" + what + "); delete the state file to start over");
}

}  // namespace

TemplateMiner TemplateMiner::from_json(const nlohmann::json& state) {
    try {
        if (!state.is_object()) damaged("not an object");
        MinerOptions options;
        const nlohmann::json& opts = state.at("options");
        for (const nlohmann::json& m : opts.at("masks"))
            options.masks.push_back({m.at("name").get<std::string>(), m.at("pattern").get<std::string>()});
        options.max_templates = util::json_integer<std::size_t>(opts.at("max_templates"));
        TemplateMiner miner(options);  // a bad mask pattern throws UsageError: report it as damage
        Impl& im = *miner.m_impl;
        im.stats.evicted = util::json_integer<std::uint64_t>(state.at("evicted"));

        const nlohmann::json& templates = state.at("templates");
        if (!templates.is_array()) damaged("templates is not an array");
        if (options.max_templates > 0 && templates.size() > options.max_templates)
            damaged("more templates than max_templates");
        for (const nlohmann::json& j : templates) {
            Template t;
            t.id = util::json_integer<std::uint32_t>(j.at("id"));
            if (t.id == 0 || im.m_by_id.count(t.id)) damaged("template id 0 or repeated");
            t.tokens = j.at("tokens").get<std::vector<std::string>>();
            std::vector<int> slots;
            for (const nlohmann::json& slot : j.at("slots")) slots.push_back(util::json_integer<int>(slot));
            if (slots.size() != t.tokens.size()) damaged("template " + std::to_string(t.id) + " has bad tokens");
            for (std::size_t i = 0; i < slots.size(); ++i) {
                if (slots[i] < 0 || slots[i] > 2) damaged("bad slot kind");
                t.slots.push_back(static_cast<Slot>(slots[i]));
                if (t.slots[i] != Slot::constant && t.tokens[i] != k_wildcard) damaged("variable slot is not <*>");
                if (t.tokens[i].empty() || !is_blank_free(t.tokens[i])) damaged("empty or blank token");
                if (i == 0 && t.slots[i] == Slot::many) damaged("a template starts with a variable-length slot");
                t.varlen |= t.slots[i] == Slot::many;
            }
            if (!j.at("count").is_number_unsigned()) damaged("bad template count");
            t.count = j.at("count").get<std::uint64_t>();
            t.example = j.at("example").get<std::string>();
            t.live = true;
            t.refresh();
            std::size_t long_tokens = 0;
            for (const std::string& token : t.tokens)
                if (token.size() > k_short_string) long_tokens += token.size() + 1;
            t.bytes = template_bytes(t.tokens.size(), long_tokens, t.text.size(), t.example.size());
            im.m_bytes += t.bytes;
            const auto index = static_cast<std::uint32_t>(im.m_templates.size());
            im.m_by_id[t.id] = index;
            im.m_templates.push_back(std::move(t));
            im.index_add(index);
            // saved most recent first: appending at the tail keeps that order
            Template& added = im.m_templates[index];
            added.prev = im.m_lru_tail;
            if (im.m_lru_tail != Template::k_none) im.m_templates[im.m_lru_tail].next = index;
            else im.m_lru_head = index;
            im.m_lru_tail = index;
            ++im.m_live;
        }
        for (const nlohmann::json& entry : state.at("cache")) {
            if (!entry.is_array() || entry.size() != 2) damaged("bad cache entry");
            const auto id = util::json_integer<std::uint32_t>(entry[1]);
            const auto it = im.m_by_id.find(id);
            if (it == im.m_by_id.end()) damaged("cache names an unknown template");
            const auto [at, added] = im.m_cache.insert_or_assign(entry[0].get<std::string>(), CacheEntry{it->second, 0});
            if (added) im.m_cache_bytes += at->first.size();
        }
        if (state.contains("aliases")) {
            for (const nlohmann::json& entry : state.at("aliases")) {
                if (!entry.is_array() || entry.size() != 2) damaged("bad alias entry");
                const auto from = util::json_integer<std::uint32_t>(entry[0]);
                const auto to = util::json_integer<std::uint32_t>(entry[1]);
                if (from == 0 || to == 0 || from == to || im.m_by_id.count(from) || im.m_alias.count(from))
                    damaged("alias of a live, repeated or zero id");
                im.add_alias(from, to);
            }
        }
        if (state.contains("groups")) {
            for (const nlohmann::json& entry : state.at("groups")) {
                if (!entry.is_array() || entry.size() != 3) damaged("bad evidence group");
                Group g;
                const auto p = util::json_integer<std::uint32_t>(entry[0]), q = util::json_integer<std::uint32_t>(entry[1]);
                if (!entry[2].is_array()) damaged("bad evidence group");
                std::vector<std::uint32_t> ids;  // each checked: a float where an id belongs is damage
                for (const nlohmann::json& id : entry[2]) ids.push_back(util::json_integer<std::uint32_t>(id));
                if (p > 255 || q > 255 || ids.empty() || ids.size() > Group::k_cap) damaged("bad evidence group");
                g.p = static_cast<std::uint8_t>(p);
                g.q = static_cast<std::uint8_t>(q);
                for (std::uint32_t id : ids) g.ids[g.size++] = id;
                // keyed by its first member's shape; a member gone or changed is dropped on use
                const auto it = im.m_by_id.find(ids[0]);
                if (it == im.m_by_id.end()) continue;
                const Template& t = im.m_templates[it->second];
                if (t.varlen || std::max(p, q) >= t.tokens.size()) continue;
                im.m_groups.emplace(im.group_key(t, p, q), g);
            }
        }
        return miner;
    } catch (const nlohmann::json::exception& e) {
        damaged(e.what());
    } catch (const UsageError& e) {
        damaged(e.what());
    }
}

}  // namespace logad::mine
