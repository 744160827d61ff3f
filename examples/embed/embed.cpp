// liblogad embedded: learn a log's normal lines from a file, then score lines from stdin and
// print the anomalies as logad score records. Usage: embed TRAINING.log < NEW.log
#include <logad/analyze/log_scorer.hpp>
#include <logad/analyze/train.hpp>

#include <iostream>
#include <string>

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
    logad::analyze::TrainRequest request;  // the format is recognised per line ("auto")
    request.files = {argv[1]};
    const logad::analyze::TrainResult trained = logad::analyze::train(request, std::cin);

    PrintAnomalies out;
    logad::analyze::LogScorer scorer(trained.model, {}, out);
    for (std::string line; std::getline(std::cin, line);) scorer.push_line(line);
    scorer.finish();
    return 0;
} catch (const std::exception& e) {
    std::cerr << "embed: " << e.what() << "\n";
    return 2;
}
