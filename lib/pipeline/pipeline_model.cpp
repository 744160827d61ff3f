#include <logad/model/calibration.hpp>
#include <logad/util/json_integer.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/time_order.hpp>

#include <logad/error.hpp>
#include <logad/util/versioned_file.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

using featurize::Granularity;
constexpr std::int64_t k_max_duration_ms = 10LL * 366 * 24 * 3600 * 1000;  // windows and idle times: ten years
constexpr std::int64_t k_max_reorder_ms = 24LL * 3600 * 1000;                // a day: the buffer is bounded anyway

struct Collect final : Sink<featurize::FeatureRow> {
    std::vector<featurize::FeatureRow> rows;
    void push(featurize::FeatureRow& r) override { rows.push_back(r); }
};

// The session keys of a segment's events in the order TimeOrder passes them on, extracted once
// while the baseline learns and read again by the session featurizer (the same events through
// the same TimeOrder come out in the same order). Flat, so a key costs its bytes and an offset.
class KeyLog {
public:
    void add(std::uint64_t line, const featurize::EventKeys& keys) {
        for (const std::string& k : keys.keys) {
            m_bytes += k;
            m_key_ends.push_back(m_bytes.size());
        }
        m_events.push_back({line, m_key_ends.size(), keys.dropped});
    }
    // The keys of the i-th event passed on, when it is the event on `line`.
    bool replay(std::size_t i, std::uint64_t line, featurize::EventKeys& out) const {
        if (i >= m_events.size() || m_events[i].line != line) return false;
        const std::size_t first = i == 0 ? 0 : m_events[i - 1].key_end;
        out.keys.clear();
        for (std::size_t k = first; k < m_events[i].key_end; ++k) {
            const std::size_t from = k == 0 ? 0 : m_key_ends[k - 1];
            out.keys.emplace_back(m_bytes, from, m_key_ends[k] - from);
        }
        out.dropped = m_events[i].dropped;
        return true;
    }

private:
    struct Entry {
        std::uint64_t line;
        std::size_t key_end;  // one past its last key in m_key_ends
        std::size_t dropped;
    };
    std::string m_bytes;
    std::vector<std::size_t> m_key_ends;
    std::vector<Entry> m_events;
};

// The baseline learns from events in time order; with a session key, each event's keys are
// extracted here once and logged for the session featurizer.
struct LearnBaseline final : Sink<Event> {
    LearnBaseline(BaselineLearner& learner, const featurize::SessionKey* key) : learner(learner), key(key) {}
    void push(Event& e) override {
        if (key) {
            key->extract(e, keys);
            if (log) log->add(e.record.line, keys);
        }
        learner.add_keyed(e, keys);
    }
    BaselineLearner& learner;
    const featurize::SessionKey* key;
    KeyLog* log = nullptr;  // the current segment's, when sessions are featurized
    featurize::EventKeys keys;
};

// Events to the session featurizer with the keys the baseline pass logged (extracted afresh
// should an event not be the one logged).
struct ReplayKeys final : Sink<Event> {
    ReplayKeys(featurize::SessionFeaturizer& sessions, const KeyLog& log) : sessions(sessions), log(log) {}
    void push(Event& e) override {
        if (log.replay(next++, e.record.line, keys))
            sessions.push_keyed(e, keys);
        else
            sessions.push(e);
    }
    void finish() override { sessions.finish(); }
    featurize::SessionFeaturizer& sessions;
    const KeyLog& log;
    std::size_t next = 0;
    featurize::EventKeys keys;
};

// Events of one segment to `stage`: windows and sessions in time order, as `score` sees them.
void feed_segment(const std::vector<Event>& events, Sink<Event>& stage, bool timed, const TrainSettings& t) {
    TimeOrder order({timed ? t.reorder_ms : 0}, stage);
    for (const Event& e : events) order.push(const_cast<Event&>(e));  // stages leave events intact
    order.finish();
}

// A featurizer per segment, so no row spans two of them.
std::vector<featurize::FeatureRow> featurize_all(const featurize::FeatureSpace& space, const TrainSettings& t,
                                                 const featurize::SessionKey* key, Granularity per,
                                                 const std::vector<const std::vector<Event>*>& segments,
                                                 const std::vector<KeyLog>& key_logs) {
    Collect out;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        std::unique_ptr<Sink<Event>> stage;
        std::unique_ptr<featurize::SessionFeaturizer> sessions;
        if (per == Granularity::line) stage = std::make_unique<featurize::LineFeaturizer>(space, out);
        if (per == Granularity::window)
            stage = std::make_unique<featurize::WindowFeaturizer>(space, featurize::WindowOptions{t.window_ms, t.slide_ms}, out);
        if (per == Granularity::session) {
            sessions = std::make_unique<featurize::SessionFeaturizer>(space, *key, featurize::SessionOptions{t.idle_ms}, out);
            stage = std::make_unique<ReplayKeys>(*sessions, key_logs.at(i));
        }
        feed_segment(*segments[i], *stage, per != Granularity::line, t);
    }
    return std::move(out.rows);
}

// Median and a robust spread of each column, so reasons can say how far a value is; its range
// and mean, so they can say what training held (a 0/1 column's mean is its share of rows).
void describe_columns(const model::Matrix& x, Part& part) {
    const auto cols = static_cast<std::size_t>(x.cols());
    part.center.assign(cols, 0.0);
    part.scale.assign(cols, 1.0);
    part.low.assign(cols, 0.0);
    part.high.assign(cols, 0.0);
    part.mean.assign(cols, 0.0);
    std::vector<double> v(static_cast<std::size_t>(x.rows()));
    for (std::size_t c = 0; c < cols; ++c) {
        for (Eigen::Index r = 0; r < x.rows(); ++r) v[static_cast<std::size_t>(r)] = x(r, static_cast<Eigen::Index>(c));
        std::sort(v.begin(), v.end());
        const double median = v[v.size() / 2];
        part.low[c] = v.front();
        part.high[c] = v.back();
        double mean = 0, sq = 0;
        for (double d : v) mean += d;
        mean /= static_cast<double>(v.size());
        for (double d : v) sq += (d - mean) * (d - mean);
        const double sd = std::sqrt(sq / static_cast<double>(v.size()));
        for (double& d : v) d = std::abs(d - median);
        std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
        const double mad = 1.4826 * v[v.size() / 2];
        part.center[c] = median;
        part.scale[c] = std::max({mad, sd, 1e-6});
        part.mean[c] = mean;
    }
}

nlohmann::json granularity_list(const std::vector<Granularity>& g) {
    auto j = nlohmann::json::array();
    for (auto x : g) j.push_back(featurize::granularity_name(x));
    return j;
}

}  // namespace

PipelineModel PipelineModel::fit(ParseSettings parse, TrainSettings train, mine::TemplateMiner miner,
                                 const std::vector<Event>& events, std::vector<PartSummary>& summary) {
    if (events.empty())
        throw UsageError("no log records in the training input; is it empty, or does --format not match it?");
    PipelineModel m = fit_segments(std::move(parse), std::move(train), std::move(miner), {&events}, summary);
    m.history = TrainingHistory(m.train.seed);
    m.history.offer(events);
    return m;
}

PipelineModel PipelineModel::update(const PipelineModel& old, mine::TemplateMiner miner, const std::vector<Event>& events,
                                    int threads, std::vector<PartSummary>& summary, const std::vector<Event>& taught) {
    if (events.empty()) throw UsageError("no log records in the update's input; is it empty?");
    std::vector<std::vector<Event>> past = old.history.segments();
    std::vector<const std::vector<Event>*> segments;
    for (auto& s : past) {
        mine::refresh_merged(miner, s);  // templates the update's lines generalised
        segments.push_back(&s);
    }
    segments.push_back(&events);
    if (!taught.empty()) segments.push_back(&taught);
    TrainSettings train = old.train;
    train.threads = threads;
    PipelineModel m = fit_segments(old.parse, std::move(train), std::move(miner), segments, summary);
    m.history = old.history;
    m.history.offer(events);
    m.fit_profile = old.fit_profile;
    m.feedback = old.feedback;
    m.feedback.retarget([&](std::uint32_t id) { return m.miner->resolve(id); });
    return m;
}

PipelineModel PipelineModel::fit_segments(ParseSettings parse, TrainSettings train, mine::TemplateMiner miner,
                                          const std::vector<const std::vector<Event>*>& segments,
                                          std::vector<PartSummary>& summary) {
    PipelineModel m;
    m.parse = std::move(parse);
    m.train = std::move(train);
    if (!m.train.key.empty()) m.m_key = std::make_unique<featurize::SessionKey>(m.train.key);
    m.miner = std::make_unique<mine::TemplateMiner>(std::move(miner));

    featurize::FeatureSpaceBuilder builder({m.train.max_vocab, 16});
    BaselineLearner learner(m.train.window_ms, m.m_key.get(), m.train.idle_ms);
    bool any_time = false;
    std::size_t n_events = 0;
    LearnBaseline learn(learner, m.m_key.get());
    const auto& chosen_pers = m.train.granularities;
    const bool sessions_wanted = m.m_key && (chosen_pers.empty() || std::find(chosen_pers.begin(), chosen_pers.end(),
                                                                                Granularity::session) != chosen_pers.end());
    std::vector<KeyLog> key_logs(sessions_wanted ? segments.size() : 0);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto* events = segments[i];
        learn.log = sessions_wanted ? &key_logs[i] : nullptr;
        n_events += events->size();
        for (const Event& e : *events) {
            builder.add(e);
            any_time = any_time || e.record.has_time();
        }
        builder.end_segment();
        feed_segment(*events, learn, true, m.train);
        learner.end_segment();
    }
    m.space = builder.build();
    m.baseline = learner.finish();

    std::vector<Granularity> wanted = m.train.granularities;
    const bool chosen = !wanted.empty();
    if (!chosen) {
        wanted = {Granularity::line};
        if (any_time) wanted.push_back(Granularity::window);
        if (m.m_key) wanted.push_back(Granularity::session);
    }
    for (Granularity per : wanted) {
        if (per == Granularity::session && !m.m_key)
            throw UsageError("--per session needs --key (a field name, or a regex such as 'blk_-?\\d+')");
        const auto rows = featurize_all(m.space, m.train, m.m_key.get(), per, segments, key_logs);
        if (rows.size() < 2) {
            if (chosen && per == Granularity::session && m.baseline.sessions == 0)
                throw UsageError(fmt::format("--key '{}' matched none of the {} records, so there are no sessions "
                                             "to learn from; check the field name or the regex",
                                             m.train.key, n_events));
            if (chosen)
                throw UsageError(fmt::format("only {} {} rows in the training input: too few to learn from "
                                             "(windows need timestamps; sessions need --key to match)",
                                             rows.size(), featurize::granularity_name(per)));
            continue;  // not enough of this granularity: the others still apply
        }
        const std::size_t width = m.space.width(per);
        model::Matrix x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(width));
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::size_t c = 0; c < width; ++c) x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r].values[c];
        Part part;
        part.per = per;
        part.model.detector = model::make_detector(m.train.algo, m.train.params);
        part.model.detector->fit(x, {m.train.seed, m.train.threads});
        part.model.rule = m.train.rule;
        const model::Vector scores = part.model.detector->score(x, m.train.threads);
        part.model.margin = model::threshold_margin(scores, m.train.rule);
        part.model.threshold = model::calibrate_threshold(scores, m.train.rule) + part.model.margin;
        part.model.feature_names = m.space.feature_names(per);
        describe_columns(x, part);
        part.rows = rows.size();
        summary.push_back({per, rows.size(), width, part.model.threshold, part.model.margin});
        m.parts.push_back(std::move(part));
    }
    if (m.parts.empty())
        throw UsageError(fmt::format("only {} record{} in the training input: too few to learn from (no granularity "
                                     "has the 2 rows a detector needs)",
                                     n_events, n_events == 1 ? "" : "s"));
    return m;
}

nlohmann::json PipelineModel::to_json() const {
    nlohmann::json j;
    auto& p = j["parse"];
    p["format"] = parse.format.format;
    p["regex"] = parse.format.regex;
    if (!parse.format.tz.empty()) p["tz"] = parse.format.tz;  // absent: UTC (and models written before --tz)
    p["multiline"] = parse.multiline;
    p["max_line"] = parse.max_line;
    p["masks"] = nlohmann::json::array();
    for (const auto& mask : parse.masks) p["masks"].push_back({mask.name, mask.pattern});
    j["miner"] = miner->to_json();
    j["feature_space"] = space.to_json();
    j["baseline"] = baseline.to_json();
    auto& t = j["train"];
    t["granularities"] = granularity_list(train.granularities);
    t["window_ms"] = train.window_ms;
    t["slide_ms"] = train.slide_ms;
    t["key"] = train.key;
    t["idle_ms"] = train.idle_ms;
    t["max_vocab"] = train.max_vocab;
    t["reorder_ms"] = train.reorder_ms;
    t["algo"] = train.algo;
    t["params"] = train.params;
    t["rule"] = model::to_json(train.rule);
    t["seed"] = train.seed;
    if (fit_profile.measured) j["fit"] = fit_profile.to_json();
    if (!history.empty()) j["history"] = history.to_json();
    auto& parts_json = j["parts"] = nlohmann::json::array();
    for (const Part& part : parts) {
        nlohmann::json doc = model::model_to_json(part.model);
        doc["format"] = util::k_model_file.name;  // each part is a complete detector document
        doc["version"] = util::k_model_file.version;
        parts_json.push_back({{"per", featurize::granularity_name(part.per)}, {"model", doc},
                              {"center", part.center}, {"scale", part.scale}, {"low", part.low},
                              {"high", part.high}, {"mean", part.mean}, {"rows", part.rows}});
    }
    return j;
}

PipelineModel PipelineModel::from_json(const nlohmann::json& j, const std::string& origin) {
    PipelineModel m;
    try {
        const auto& p = j.at("parse");
        m.parse.format.format = p.at("format").get<std::string>();
        m.parse.format.regex = p.at("regex").get<std::string>();
        m.parse.format.tz = p.value("tz", std::string());
        m.parse.multiline = p.at("multiline").get<bool>();
        // The same ranges the command line enforces: a model is refused, not obeyed, outside them.
        m.parse.max_line = util::json_integer_in<std::size_t>(p.at("max_line"), 64, std::size_t(1) << 30, "parse.max_line");
        for (const auto& mask : p.at("masks")) m.parse.masks.push_back({mask.at(0).get<std::string>(), mask.at(1).get<std::string>()});
        m.miner = std::make_unique<mine::TemplateMiner>(mine::TemplateMiner::from_json(j.at("miner")));
        m.space = featurize::FeatureSpace::from_json(j.at("feature_space"));
        m.baseline = Baseline::from_json(j.at("baseline"));
        const auto& t = j.at("train");
        for (const auto& g : t.at("granularities")) m.train.granularities.push_back(featurize::parse_granularity(g.get<std::string>()));
        m.train.window_ms = util::json_integer_in<std::int64_t>(t.at("window_ms"), 1, k_max_duration_ms, "train.window_ms");
        m.train.slide_ms = util::json_integer_in<std::int64_t>(t.at("slide_ms"), 0, m.train.window_ms, "train.slide_ms");
        m.train.key = t.at("key").get<std::string>();
        m.train.idle_ms = util::json_integer_in<std::int64_t>(t.at("idle_ms"), 1, k_max_duration_ms, "train.idle_ms");
        m.train.max_vocab = util::json_integer_in<std::size_t>(t.at("max_vocab"), 1, 100000, "train.max_vocab");
        if (t.contains("reorder_ms"))
            m.train.reorder_ms = util::json_integer_in<std::int64_t>(t.at("reorder_ms"), 0, k_max_reorder_ms, "train.reorder_ms");
        m.train.algo = t.at("algo").get<std::string>();
        m.train.params = t.at("params");
        m.train.rule = model::threshold_rule_from_json(t.at("rule"));
        m.train.seed = util::json_integer<std::uint64_t>(t.at("seed"));
        if (!m.train.key.empty()) m.m_key = std::make_unique<featurize::SessionKey>(m.train.key);
        if (j.contains("fit")) {
            m.fit_profile = FitProfile::from_json(j.at("fit"));
        } else {  // an older model: what its feature space tells of the templates training met
            m.fit_profile.records = m.space.n_events;
            m.fit_profile.unseen = m.space.templates.size();
        }
        if (j.contains("history")) m.history = TrainingHistory::from_json(j.at("history"));
        for (const auto& part_json : j.at("parts")) {
            Part part;
            part.per = featurize::parse_granularity(part_json.at("per").get<std::string>());
            part.model = model::model_from_json(part_json.at("model"), origin);
            part.center = part_json.at("center").get<std::vector<double>>();
            part.scale = part_json.at("scale").get<std::vector<double>>();
            const std::size_t width = m.space.width(part.per);
            if (part_json.contains("low")) {  // absent from older models: reasons then say the median only
                part.low = part_json.at("low").get<std::vector<double>>();
                part.high = part_json.at("high").get<std::vector<double>>();
                part.mean = part_json.at("mean").get<std::vector<double>>();
                part.rows = util::json_integer<std::uint64_t>(part_json.at("rows"));
                if (part.low.size() != width || part.high.size() != width || part.mean.size() != width)
                    throw FormatError(fmt::format("the {} training ranges do not fit the feature space",
                                                  featurize::granularity_name(part.per)));
            }
            if (part.model.detector->n_features() != width || part.center.size() != width || part.scale.size() != width)
                throw FormatError(fmt::format("the {} detector does not fit the feature space", featurize::granularity_name(part.per)));
            m.parts.push_back(std::move(part));
        }
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(fmt::format("{} is damaged or was edited by hand ({}); retrain the model", origin, e.what()));
    } catch (const UsageError& e) {
        throw FormatError(fmt::format("{} holds settings this logad rejects ({}); retrain the model", origin, e.what()));
    } catch (const FormatError& e) {
        if (std::string_view(e.what()).starts_with(origin)) throw;
        throw FormatError(fmt::format("{}: {}", origin, e.what()));
    }
    return m;
}

void PipelineModel::save(const std::filesystem::path& path) const {
    nlohmann::json doc;
    doc["pipeline"] = to_json();
    if (!feedback.empty()) doc["feedback"] = feedback.to_json();
    util::save_versioned(path, util::k_model_file, std::move(doc));
}

PipelineModel PipelineModel::from_document(const nlohmann::json& doc, const std::string& origin) {
    PipelineModel m = from_json(doc.at("pipeline"), origin);
    m.feedback = Feedback::from_document(doc, origin);
    return m;
}

PipelineModel PipelineModel::load(const std::filesystem::path& path) {
    const nlohmann::json doc = util::load_versioned(path, util::k_model_file);
    if (!is_pipeline(doc))
        throw UsageError(path.string() + " was trained on a numeric table, not on logs; train a model on logs");
    return from_document(doc, path.string());
}

}  // namespace logad::pipeline
