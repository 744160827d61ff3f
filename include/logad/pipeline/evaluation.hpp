#pragma once
// `logad eval`'s judgement: score records against labels -> precision, recall, F1, ROC-AUC and
// PR-AUC. The caller reads the files; this reads their lines.
//
// Labels (CSV, first two columns: id, label; a header row is recognised when its second cell
// is not a label value):
//   session labels  `BlockId,Label` (HDFS): items are session ids, matched to records' `key`.
//   line labels     `line,label`: items are input lines (first column named line/lineno/row,
//                   or a number), matched to records' `line`, or `row` for table records.
//   Label values: Anomaly/Abnormal/1/true/yes or Normal/0/false/no (any case). Every row of the
//   labels file is one item; an item listed twice is anomalous when either row says so.
//
// Records: what `logad score` writes (score_stream.hpp; `--all` gives ranking metrics their
// normal rows), and the records of a table model.
//   Which records count (per): by default the granularity of the labels, so line labels use
//   per-line records (and table rows), session labels per-session records. "window", "session"
//   or "all" lets a window or session record count for every labelled line in its
//   first_line..last_line (with session labels, for the session named by its `key`).
//   An item's prediction is "anomalous" when any record that counts for it is; its score is the
//   highest margin `score - threshold` among them (so detectors and signals share one scale, and
//   margin > 0 exactly when a record is an anomaly). An item with no record counts as scored
//   normal with the lowest possible score (-inf): `logad score` without --all writes only
//   anomalies, and the ones it did not write were normal.
// The best-F1 threshold is for information only: it is chosen on the labels evaluated.
#include <logad/export.hpp>
#include <logad/model/metrics.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace logad::pipeline {

struct ScoreLine;

struct EvalLabels {
    bool by_line = false;
    std::vector<std::string> keys;     // session ids, in the order first seen
    std::vector<std::uint64_t> lines;  // line items, ascending
    std::vector<bool> truth;           // per item, in the order of keys / lines
    std::size_t size() const { return truth.size(); }
};

// Reads a label CSV line by line; `origin` names the file in messages.
class LOGAD_API LabelReader {
public:
    explicit LabelReader(std::string origin) : m_origin(std::move(origin)) {}
    // One line of the file; `line_number` counts from 1. Throws InputError on a row that is not
    // `id,label`.
    void add_line(std::string_view line, std::uint64_t line_number);
    // Throws InputError when the file held no labels.
    EvalLabels finish();

private:
    std::string m_origin;
    EvalLabels m_labels;
    bool m_first = true;
    std::map<std::uint64_t, bool> m_by_line;
    std::unordered_map<std::string, std::size_t> m_index;
};

struct EvalResult {
    bool by_line = false;
    std::string per;  // the records that counted: line|window|session|all
    std::uint64_t items = 0, anomalous = 0, items_without_record = 0;
    std::uint64_t records = 0, used = 0, unmatched = 0, filtered = 0, incidents = 0;
    model::Confusion counts;
    double roc_auc = 0, pr_auc = 0;  // NaN when the labels hold one class
    model::BestF1 best;
    // The best threshold is in raw score units when every record used had one threshold (one
    // detector), else a margin score - threshold.
    bool best_in_score_units = false;
    double best_threshold = 0;
};

class LOGAD_API Evaluation {
public:
    // `per` "" = the granularity of the labels; `detector` "" = every detector.
    Evaluation(EvalLabels labels, std::string per, std::string detector);
    // One line of score output; `at` names it in messages. Throws InputError on a record
    // without a score.
    void add(const ScoreLine& line, std::string_view at);
    // Throws InputError when only incident records were read (they roll up records eval needs).
    EvalResult finish() const;

private:
    struct Item {
        double margin;
        bool predicted = false;
        bool seen = false;
    };
    void apply(Item& item, double margin, bool anomaly);
    bool apply_lines(std::uint64_t first, std::uint64_t last, double margin, bool anomaly);

    EvalLabels m_labels;
    std::string m_per, m_detector;
    std::vector<Item> m_items;
    std::unordered_map<std::string, std::size_t> m_key_index;
    std::uint64_t m_records = 0, m_used = 0, m_unmatched = 0, m_filtered = 0, m_incidents = 0;
    std::optional<double> m_threshold;  // the one threshold every used record had, if any
    bool m_mixed_thresholds = false;
};

}  // namespace logad::pipeline
