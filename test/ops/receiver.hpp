#pragma once
// A real HTTP receiver on 127.0.0.1 (cpp-httplib, a free port) that records every POST, and
// answers with the statuses it is told to, in order (then 200).
#include <httplib.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace logad::test {

struct Received {
    std::string path;
    std::string body;
    std::string content_type;
    std::chrono::steady_clock::time_point at;
    std::int64_t wall_ms = 0;  // system clock, ms since the epoch
};

class Receiver {
public:
    explicit Receiver(std::deque<int> statuses = {});
    ~Receiver();
    int port() const { return m_port; }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(m_port) + path; }
    std::vector<Received> received() const;
    // Waits until at least `n` requests arrived or `timeout_ms` passed; returns how many arrived.
    std::size_t wait_for(std::size_t n, int timeout_ms) const;
    void stop();

private:
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    mutable std::mutex m_mu;
    std::deque<int> m_statuses;
    std::vector<Received> m_received;
};

// A port nothing listens on (bound, then closed).
int closed_port();

}  // namespace logad::test
