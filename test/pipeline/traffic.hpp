#pragma once
// Synthetic service traffic with known template ids, shared by the pipeline tests.
#include <logad/record.hpp>

#include <random>
#include <string>
#include <vector>

namespace logad::test {

// A small service: a heartbeat every 10 s, orders created -> paid -> shipped, payment calls
// with a latency parameter and ~2% errors, and HTTP clients with an occasional 404.
struct Traffic {
    std::mt19937 rng;
    std::int64_t t = 1700000000000;
    std::uint64_t line = 0;
    int order = 0;
    std::vector<Event> out;

    explicit Traffic(unsigned seed) : rng(seed) {}

    Event& emit(std::uint32_t id, std::string tmpl, std::string message, Level level = Level::info) {
        Event e;
        e.template_id = id;
        e.template_text = std::move(tmpl);
        e.record.message = std::move(message);
        e.record.ts_ms = t;
        e.record.line = ++line;
        e.record.level = level;
        out.push_back(std::move(e));
        return out.back();
    }
    void minutes(int n) {
        for (int s = 0; s < n * 60; ++s, t += 1000) {
            if (s % 10 == 0) emit(1, "Heartbeat ok", "Heartbeat ok");
            if (s % 20 == 5) {
                const std::string id = std::to_string(++order);
                emit(10, "Order <*> created", "Order " + id + " created");
                emit(11, "Order <*> paid", "Order " + id + " paid");
                emit(12, "Order <*> shipped", "Order " + id + " shipped");
            }
            if (rng() % 3 == 0) {
                const bool failed = rng() % 50 == 0;
                Event& e = emit(failed ? 21 : 20, failed ? "Payment failed" : "Payment took <*> ms",
                                failed ? "Payment failed" : "Payment took 20 ms", failed ? Level::error : Level::info);
                if (!failed) e.params = {{std::to_string(10 + rng() % 40), ParamKind::number}};
                e.record.fields.push_back({"component", "Payment", false});
            }
            if (rng() % 2 == 0) {
                const bool missing = rng() % 40 == 0;
                Event& e = emit(30, "GET <*> <*>", "GET /x", missing ? Level::warn : Level::info);
                e.record.fields.push_back({"client", "10.0.0." + std::to_string(rng() % 20), false});
            }
        }
    }
};

}  // namespace logad::test
