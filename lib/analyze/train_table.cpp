#include <logad/analyze/train_table.hpp>

#include <logad/error.hpp>
#include <logad/io/table_reader.hpp>
#include <logad/model/calibration.hpp>
#include <logad/model/detector.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace logad::analyze {

TableTrainRun train_table(io::ByteSource& source, const TableTrainRequest& r) {
    TableTrainRun run;
    model::ModelFile& m = run.model;
    m.detector = model::make_detector(r.algo, r.params);
    m.rule = r.rule;

    io::TableReader reader(source, r.threads);
    // Blocks kept as read, then copied once into the matrix: growing one vector copied the
    // table about three times and faulted in fresh pages for each copy (half of train's time
    // on a 100,000 x 50 CSV).
    std::vector<std::vector<double>> blocks;
    for (io::Table block; reader.read(block, 8192) > 0; block = {}) blocks.push_back(std::move(block.values));
    const auto rows = static_cast<Eigen::Index>(reader.rows_read());
    if (rows == 0) throw InputError(fmt::format("{} holds no rows to train on", r.name));
    model::Matrix x(rows, static_cast<Eigen::Index>(reader.cols()));
    double* dest = x.data();
    for (auto& b : blocks) {
        std::copy(b.begin(), b.end(), dest);
        dest += b.size();
        b = {};
    }
    m.feature_names = reader.names();
    // The feature space of `logad featurize` output travels in the model, for scoring raw logs later.
    if (!reader.header_json().empty()) m.parts["featurizer"] = nlohmann::json::parse(reader.header_json());

    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    m.detector->fit(x, {.seed = r.seed, .threads = r.threads});
    run.fit_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const model::Vector scores = m.detector->score(x, r.threads);
    m.threshold = model::calibrate_threshold(scores, r.rule);
    run.rows = static_cast<std::uint64_t>(rows);
    run.cols = static_cast<std::uint64_t>(x.cols());
    run.above = static_cast<std::uint64_t>((scores.array() > m.threshold).count());
    return run;
}

}  // namespace logad::analyze
