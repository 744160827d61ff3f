#pragma once
// One JSON POST with libcurl. Errors are values (the alert thread retries them); their text has
// the URL's secrets scrubbed (see url.hpp).
#include <memory>
#include <string>

namespace logad::ops {

struct PostResult {
    long status = 0;     // HTTP status, 0 when no response came
    std::string error;   // empty on a 2xx answer; otherwise why, safe to print
    bool retryable = false;  // connection problems, timeouts, 408, 429 and 5xx
    bool ok() const noexcept { return error.empty(); }
};

// Keeps one curl handle so connections are reused between posts. Not thread-safe: one per thread.
class HttpPoster {
public:
    explicit HttpPoster(std::string url);
    ~HttpPoster();
    HttpPoster(const HttpPoster&) = delete;
    HttpPoster& operator=(const HttpPoster&) = delete;

    PostResult post_json(const std::string& body, long timeout_ms);

private:
    std::string m_url;
    void* m_curl = nullptr;  // CURL*
};

}  // namespace logad::ops
