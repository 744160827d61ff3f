// The model-file loader as `logad score` runs it: the input is written to a file and loaded like
// one (util::load_versioned: envelope, packed arrays, then a plain detector or a whole pipeline). A damaged or hand-edited file must
// be refused with a FormatError; a file that loads must then score without crashing, so the
// loaded model is used on a few rows (a table model) or log lines (a pipeline model).
#include "fuzz_input.hpp"

#include <logad/error.hpp>
#include <logad/model/detector.hpp>
#include <logad/model/model_file.hpp>
#include <logad/parse/line_format.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/scorer.hpp>
#include <logad/util/versioned_file.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

using namespace logad;

constexpr std::array<const char*, 6> k_lines = {
    "2026-11-20 09:00:00.136 WARN  [worker-6] PaymentService: Retrying request 1 of 3 after 648 ms",
    "2026-11-20 09:00:00.604 INFO  [http-nio-8080] AccessLog: GET /api/orders/632084 status 200 took 29ms",
    "2026-11-20 09:03:01.482 ERROR [worker-2] OrderService: Order 677814 failed for user erin",
    "{\"level\":\"info\",\"ts\":\"2026-11-20T09:05:00Z\",\"msg\":\"user bob logged in\",\"session\":\"s1\"}",
    "never seen before \xff\xfe text",
    "2026-11-20 10:00:00.000 INFO  [worker-1] OrderService: Order 1 created for user bob in 3 ms"};

class CountSink final : public Sink<pipeline::ScoreRecord> {
public:
    void push(pipeline::ScoreRecord& r) override { m_rows += !r.per.empty(); }
    std::size_t m_rows = 0;
};

void score_pipeline(const pipeline::PipelineModel& m) {
    auto format = parse::make_format(m.parse.format);
    CountSink sink;
    pipeline::ScorerOptions options;
    options.all = true;
    pipeline::Scorer scorer(m, options, sink);
    Record record;
    std::uint64_t number = 0;
    for (const char* line : k_lines) {
        record.clear();
        if (format->parse(line, record).kind != parse::LineResult::record) record.message = line;
        record.line = ++number;
        scorer.push(record);
    }
    scorer.finish();
}

void score_table(const model::ModelFile& m) {
    const std::size_t width = m.detector->n_features();
    if (width == 0 || width > 4096) return;
    model::Matrix x = model::Matrix::Zero(3, static_cast<Eigen::Index>(width));
    x.row(1).setOnes();
    x.row(2).setConstant(-1e6);
    const model::Vector s = m.detector->score(x, 1);
    LOGAD_FUZZ_CHECK(s.size() == 3);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Through the file loader, as `logad score` reads a model: parsed as it is read, duplicate
    // keys and depth refused, a detector's number arrays packed for its loader.
    static const std::string path = "/tmp/logad-fuzz-model-" + std::to_string(::getpid()) + ".json";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    const std::string origin = "fuzz.model.json";
    nlohmann::json loaded;
    try {
        loaded = util::load_versioned(path, {"logad-model", 1, 1});
    } catch (const FormatError& e) {
        LOGAD_FUZZ_CHECK(e.what()[0] != '\0');
    }
    ::unlink(path.c_str());
    if (loaded.is_null()) return 0;
    try {
        const nlohmann::json& doc = loaded;
        if (pipeline::PipelineModel::is_pipeline(doc)) {
            const auto m = pipeline::PipelineModel::from_json(doc.at("pipeline"), origin);
            score_pipeline(m);
        } else {
            score_table(model::model_from_json(doc, origin));
        }
    } catch (const FormatError& e) {
        LOGAD_FUZZ_CHECK(e.what()[0] != '\0');
    }
    return 0;
}
