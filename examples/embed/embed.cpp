// liblogad embedded: learn a log's normal lines from a file, then score lines from stdin and
// print the anomalies as logad score records. Usage: embed TRAINING.log < NEW.log
#include <logad/mine/template_miner.hpp>
#include <logad/parse/line_format.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/scorer.hpp>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

namespace {

struct PrintAnomalies final : logad::Sink<logad::pipeline::ScoreRecord> {
    void push(logad::pipeline::ScoreRecord& r) override {
        std::string line;
        logad::pipeline::append_score_json(line, r);
        std::cout << line;
    }
};

}  // namespace

int main(int argc, char** argv) try {
    if (argc != 2) return std::cerr << "usage: embed TRAINING.log < NEW.log\n", 2;
    logad::pipeline::ParseSettings parse;  // the format is recognised per line ("auto")
    const auto format = logad::parse::make_format(parse.format);
    logad::mine::TemplateMiner miner;
    std::vector<logad::Event> events;
    std::ifstream training(argv[1]);
    for (std::string line; std::getline(training, line);) {
        logad::Event e;
        if (format->parse(line, e.record).kind != logad::parse::LineResult::record) continue;
        e.record.line = events.size() + 1;
        miner.learn(e);
        events.push_back(std::move(e));
    }
    std::vector<logad::pipeline::PartSummary> summary;
    const auto model = logad::pipeline::PipelineModel::fit(parse, {}, std::move(miner), events, summary);

    PrintAnomalies out;
    logad::pipeline::Scorer scorer(model, {}, out);
    std::uint64_t n = 0;
    for (std::string line; std::getline(std::cin, line);) {
        logad::Record r;
        if (format->parse(line, r).kind != logad::parse::LineResult::record) continue;
        r.line = ++n;
        scorer.push(r);
    }
    scorer.finish();
    return 0;
} catch (const std::exception& e) {
    std::cerr << "embed: " << e.what() << "\n";
    return 2;
}
