#include <logad/analyze/score_table.hpp>

#include <logad/error.hpp>
#include <logad/io/table_reader.hpp>
#include <logad/model/detector.hpp>
#include <logad/util/json_writer.hpp>

#include <fmt/core.h>

#include <chrono>

namespace logad::analyze {
namespace {

void check_table_columns(const io::TableReader& reader, const model::ModelFile& m, const std::string& name) {
    const std::size_t want = m.detector->n_features();
    if (reader.cols() != want)
        throw InputError(fmt::format("{} has {} columns but the model was trained on {}", name, reader.cols(), want));
    // Column names are compared only when both sides had real names (CSV headers).
    if (!reader.has_header() || m.feature_names.size() != want) return;
    for (std::size_t i = 0; i < want; ++i)
        if (reader.names()[i] != m.feature_names[i] && m.feature_names[i] != fmt::format("c{}", i))
            throw InputError(fmt::format("{} column {} is '{}' but the model expects '{}'; reorder the columns", name,
                                         i + 1, reader.names()[i], m.feature_names[i]));
}

void append_table_row(std::string& out, std::uint64_t row, double score, double threshold, bool anomaly) {
    util::JsonObject o(out);
    o.key("row").integer(static_cast<std::int64_t>(row));
    o.key("score").num(score);
    o.key("threshold").num(threshold);
    o.key("anomaly").boolean(anomaly);
    o.close();
    out.push_back('\n');
}

}  // namespace

TableScoreRun score_table(const model::ModelFile& m, io::ByteSource& source, const TableScoreRequest& request,
                          io::OutputBuffer& out) {
    using Clock = std::chrono::steady_clock;
    io::TableReader reader(source, request.threads);
    TableScoreRun run;
    Clock::duration scoring{};
    io::Table block;
    bool checked = false;
    while (reader.read(block, request.block_rows) > 0) {
        if (!checked) check_table_columns(reader, m, request.name);
        checked = true;
        const model::Matrix x = Eigen::Map<const model::Matrix>(
            block.values.data(), static_cast<Eigen::Index>(block.rows()), static_cast<Eigen::Index>(block.cols));
        const auto t0 = Clock::now();
        const model::Vector s = m.detector->score(x, request.threads);
        scoring += Clock::now() - t0;
        for (Eigen::Index i = 0; i < s.size(); ++i) {
            ++run.rows;
            const bool anomaly = s[i] > m.threshold;
            run.anomalies += anomaly;
            if (!anomaly && !request.all) continue;
            append_table_row(out.buffer(), run.rows, s[i], m.threshold, anomaly);
            out.commit();
        }
        out.flush();  // a live input sees each block's results at once
    }
    out.flush();
    run.scoring_seconds = std::chrono::duration<double>(scoring).count();
    return run;
}

}  // namespace logad::analyze
