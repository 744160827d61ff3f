// Score records against labels (evaluation.hpp).
#include <logad/pipeline/evaluation.hpp>

#include <logad/error.hpp>
#include <logad/pipeline/score_stream.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace logad::pipeline {
namespace {

constexpr double k_lowest_margin = -std::numeric_limits<double>::infinity();

std::string lower_label(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim_label_cell(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::string> split_label_csv(std::string_view line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i)
        if (i == line.size() || line[i] == ',') {
            cells.push_back(trim_label_cell(line.substr(start, i - start)));
            start = i + 1;
        }
    return cells;
}

std::optional<bool> parse_label_value(const std::string& cell) {
    const std::string v = lower_label(cell);
    if (v == "anomaly" || v == "anomalous" || v == "abnormal" || v == "1" || v == "true" || v == "yes") return true;
    if (v == "normal" || v == "0" || v == "false" || v == "no") return false;
    return std::nullopt;
}

bool all_label_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void LabelReader::add_line(std::string_view line, std::uint64_t at) {
    if (trim_label_cell(line).empty()) return;
    const auto cells = split_label_csv(line);
    const auto label = cells.size() >= 2 ? parse_label_value(cells[1]) : std::nullopt;
    if (m_first) {
        m_first = false;
        const std::string head = lower_label(cells[0]);
        if (!label) {  // a header row
            m_labels.by_line = head == "line" || head == "lineno" || head == "line_number" || head == "lineid" || head == "row";
            return;
        }
        m_labels.by_line = all_label_digits(cells[0]);
    }
    if (!label)
        throw InputError(fmt::format("{}:{}: expected `id,label` with a label Anomaly/Normal or 1/0, got '{}'", m_origin, at,
                                     std::string(line)));
    if (m_labels.by_line) {
        if (!all_label_digits(cells[0]))
            throw InputError(fmt::format("{}:{}: '{}' is not a line number (line labels are `line,label`)", m_origin, at, cells[0]));
        auto [it, added] = m_by_line.emplace(std::stoull(cells[0]), *label);
        if (!added) it->second = it->second || *label;
    } else {
        auto [it, added] = m_index.emplace(cells[0], m_labels.keys.size());
        if (added) {
            m_labels.keys.push_back(cells[0]);
            m_labels.truth.push_back(*label);
        } else if (*label) {
            m_labels.truth[it->second] = true;
        }
    }
}

EvalLabels LabelReader::finish() {
    if (m_labels.by_line)
        for (const auto& [l, t] : m_by_line) {
            m_labels.lines.push_back(l);
            m_labels.truth.push_back(t);
        }
    m_by_line.clear();
    if (m_labels.truth.empty())
        throw InputError(fmt::format("{} holds no labels; expected rows like `blk_1,Anomaly` or `12,1`", m_origin));
    return std::move(m_labels);
}

Evaluation::Evaluation(EvalLabels labels, std::string per, std::string detector)
    : m_labels(std::move(labels)),
      m_per(per.empty() ? (m_labels.by_line ? "line" : "session") : std::move(per)),
      m_detector(std::move(detector)),
      m_items(m_labels.size(), Item{k_lowest_margin}) {
    if (!m_labels.by_line)
        for (std::size_t i = 0; i < m_labels.keys.size(); ++i) m_key_index.emplace(m_labels.keys[i], i);
}

void Evaluation::apply(Item& item, double margin, bool anomaly) {
    item.seen = true;
    item.margin = std::max(item.margin, margin);
    item.predicted = item.predicted || anomaly;
}

// Gives a record to every labelled line in [first, last]; false when none was labelled.
bool Evaluation::apply_lines(std::uint64_t first, std::uint64_t last, double margin, bool anomaly) {
    auto it = std::lower_bound(m_labels.lines.begin(), m_labels.lines.end(), first);
    bool any = false;
    for (; it != m_labels.lines.end() && *it <= last; ++it) {
        apply(m_items[static_cast<std::size_t>(it - m_labels.lines.begin())], margin, anomaly);
        any = true;
    }
    return any;
}

void Evaluation::add(const ScoreLine& line, std::string_view at) {
    if (line.kind == ScoreLine::Kind::incident) {  // a roll-up of records that come beside it with --records
        ++m_incidents;
        return;
    }
    ++m_records;
    if (!line.scored)
        throw InputError(fmt::format("{}: a score record needs a numeric \"score\" (is this output of logad score?)", at));
    const ScoreRecord& r = line.record;
    const bool table = line.kind == ScoreLine::Kind::table_row;
    const std::string rec_per = table || r.per.empty() ? "line" : r.per;
    const std::string detector = table ? "table" : r.detector;
    if ((m_per != "all" && rec_per != m_per) || (!m_detector.empty() && detector != m_detector)) {
        ++m_filtered;
        return;
    }
    const double margin = r.score - r.threshold;
    bool matched = false;
    if (m_labels.by_line) {
        // Lines count from 1: a record without one (first_line 0) covers no labelled line.
        if (r.first_line > 0) matched = apply_lines(r.first_line, std::max(r.first_line, r.last_line), margin, r.anomaly);
    } else if (!r.key.empty()) {
        const auto it = m_key_index.find(r.key);
        if (it != m_key_index.end()) {
            apply(m_items[it->second], margin, r.anomaly);
            matched = true;
        }
    }
    if (!matched) {
        ++m_unmatched;
        return;
    }
    ++m_used;
    if (!m_threshold) m_threshold = r.threshold;
    else if (*m_threshold != r.threshold) m_mixed_thresholds = true;
}

EvalResult Evaluation::finish() const {
    if (m_records == 0 && m_incidents > 0)
        throw InputError(fmt::format("only incident records in the input ({}); eval counts the records they roll up: "
                                     "score with --records (or --all)",
                                     m_incidents));
    EvalResult out;
    out.by_line = m_labels.by_line;
    out.per = m_per;
    out.items = m_items.size();
    out.records = m_records;
    out.used = m_used;
    out.unmatched = m_unmatched;
    out.filtered = m_filtered;
    out.incidents = m_incidents;
    std::vector<double> scores;
    std::vector<bool> predicted;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        scores.push_back(m_items[i].margin);
        predicted.push_back(m_items[i].predicted);
        out.items_without_record += !m_items[i].seen;
        out.anomalous += m_labels.truth[i];
    }
    out.counts = model::confusion(m_labels.truth, predicted);
    out.roc_auc = model::roc_auc(scores, m_labels.truth);
    out.pr_auc = model::average_precision(scores, m_labels.truth);
    out.best = model::best_f1(scores, m_labels.truth);
    out.best_in_score_units = m_threshold && !m_mixed_thresholds;
    out.best_threshold = out.best_in_score_units ? out.best.threshold + *m_threshold : out.best.threshold;
    return out;
}

}  // namespace logad::pipeline
