#pragma once
// Loghub-2k evaluation for the miner tests: reads a `*_structured*.csv`, feeds its Content column
// to a TemplateMiner and scores the grouping and templates against the labels (definitions from
// ../shared/data/README.md; scripts/loghub_accuracy.py does the same on `logad parse` output).
#include <logad/mine/template_miner.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace logad::test {

inline std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string s = ss.str();
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            field += c;
        }
    }
    if (!field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

// whitespace collapsed, runs of <*> folded into one
inline std::string normalise_template(const std::string& t) {
    std::string out;
    for (char c : t) {
        const bool space = c == ' ' || c == '\t';
        if (space) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    for (bool changed = true; changed;) {
        changed = false;
        for (const char* pat : {"<*><*>", "<*> <*>"}) {
            const auto p = out.find(pat);
            if (p != std::string::npos) {
                out.replace(p, std::string(pat).size(), "<*>");
                changed = true;
            }
        }
    }
    return out;
}

struct Scores {
    double ga = 0, fga = 0, pa = 0, fta = 0;
    std::size_t lines = 0, truth_groups = 0, predicted_groups = 0;
};

// truth[i] = (group label, template), predicted[i] = (id, template), for the same lines
inline Scores score(const std::vector<std::pair<std::string, std::string>>& truth,
                    const std::vector<std::pair<std::uint32_t, std::string>>& predicted) {
    Scores s;
    s.lines = truth.size();
    std::map<std::string, std::vector<std::size_t>> by_truth;
    std::map<std::uint32_t, std::vector<std::size_t>> by_pred;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        by_truth[truth[i].first].push_back(i);
        by_pred[predicted[i].first].push_back(i);
    }
    s.truth_groups = by_truth.size();
    s.predicted_groups = by_pred.size();
    std::size_t ga_lines = 0, pa_lines = 0, exact_groups = 0, exact_templates = 0;
    for (const auto& [label, lines] : by_truth) {
        const std::uint32_t p = predicted[lines[0]].first;
        if (by_pred[p].size() != lines.size()) continue;
        bool same = true;
        for (std::size_t i : lines) same = same && predicted[i].first == p;
        if (!same) continue;
        ga_lines += lines.size();
        ++exact_groups;
        if (normalise_template(truth[lines[0]].second) == normalise_template(predicted[lines[0]].second))
            ++exact_templates;
    }
    for (std::size_t i = 0; i < truth.size(); ++i)
        pa_lines += normalise_template(truth[i].second) == normalise_template(predicted[i].second);
    const auto f1 = [&](std::size_t correct) {
        if (correct == 0) return 0.0;
        const double prec = double(correct) / double(s.predicted_groups), rec = double(correct) / double(s.truth_groups);
        return 2 * prec * rec / (prec + rec);
    };
    s.ga = double(ga_lines) / double(s.lines);
    s.pa = double(pa_lines) / double(s.lines);
    s.fga = f1(exact_groups);
    s.fta = f1(exact_templates);
    return s;
}

struct DatasetRun {
    std::vector<std::pair<std::uint32_t, std::string>> predicted;  // final template text per id
    std::vector<std::pair<std::string, std::string>> truth;
    std::vector<std::string> contents;
};

// Feeds the Content column of `csv` to a fresh default miner.
inline DatasetRun run_dataset(const std::string& csv) {
    DatasetRun run;
    const auto rows = read_csv(csv);
    if (rows.empty()) return run;
    std::size_t content = 0, event = 0, tmpl = 0;
    for (std::size_t i = 0; i < rows[0].size(); ++i) {
        if (rows[0][i] == "Content") content = i;
        if (rows[0][i] == "EventId") event = i;
        if (rows[0][i] == "EventTemplate") tmpl = i;
    }
    mine::TemplateMiner miner;
    Event ev;
    std::vector<std::uint32_t> ids;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].size() <= std::max({content, event, tmpl})) continue;
        ev.record.message = rows[r][content];
        miner.learn(ev);
        ids.push_back(ev.template_id);
        run.truth.emplace_back(rows[r][event], rows[r][tmpl]);
        run.contents.push_back(rows[r][content]);
    }
    std::unordered_map<std::uint32_t, std::string> text;
    for (const auto& t : miner.templates()) text[t.id] = t.text;
    // a merged template's lines count as its survivor's
    for (std::uint32_t id : ids) run.predicted.emplace_back(miner.resolve(id), text[miner.resolve(id)]);
    return run;
}

inline const std::vector<std::string>& loghub_datasets() {
    static const std::vector<std::string> k{"Android", "Apache", "BGL",      "HDFS",      "HPC",     "Hadoop",
                                            "HealthApp", "Linux", "Mac",     "OpenSSH",   "OpenStack", "Proxifier",
                                            "Spark",   "Thunderbird", "Windows", "Zookeeper"};
    return k;
}

inline std::string shared_data_dir() {
    if (const char* env = std::getenv("LOGAD_SHARED_DATA")) return env;
    return std::string(LOGAD_SOURCE_DIR) + "/../shared/data";
}

}  // namespace logad::test
