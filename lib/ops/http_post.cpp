#include <logad/ops/http_post.hpp>

#include <logad/error.hpp>
#include <logad/ops/url.hpp>
#include <logad/version.hpp>

#include <curl/curl.h>
#include <fmt/core.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

namespace logad::ops {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Keeps the first bytes of the answer: receivers say why they refused (Slack: "invalid_payload").
std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
    auto* body = static_cast<std::string*>(user);
    const std::size_t bytes = size * n;
    if (body->size() < 200) body->append(data, std::min<std::size_t>(bytes, 200 - body->size()));
    return bytes;
}

}  // namespace

HttpPoster::HttpPoster(std::string url) : m_url(std::move(url)) {
    global_init();
    m_curl = curl_easy_init();
    if (!m_curl) throw Error("libcurl could not start a session (out of memory?)");
}

HttpPoster::~HttpPoster() { curl_easy_cleanup(static_cast<CURL*>(m_curl)); }

PostResult HttpPoster::post_json(const std::string& body, long timeout_ms) {
    CURL* c = static_cast<CURL*>(m_curl);
    char errbuf[CURL_ERROR_SIZE] = {0};
    std::string answer;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    const std::string agent = fmt::format("logad/{}", k_version);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, m_url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // we are on a worker thread: no SIGALRM for timeouts
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_USERAGENT, agent.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, std::max(timeout_ms, 1L));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::max(std::min(timeout_ms, 5000L), 1L));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);

    PostResult r;
    if (rc != CURLE_OK) {
        r.error = scrub_secrets(errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc)), m_url);
        r.retryable = rc != CURLE_UNSUPPORTED_PROTOCOL && rc != CURLE_URL_MALFORMAT;
        return r;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    if (r.status >= 200 && r.status < 300) return r;
    for (char& ch : answer)
        if (ch == '\n' || ch == '\r') ch = ' ';
    r.error = scrub_secrets(fmt::format("HTTP {}{}{}", r.status, answer.empty() ? "" : ": ", answer), m_url);
    r.retryable = r.status == 408 || r.status == 429 || r.status >= 500;
    return r;
}

}  // namespace logad::ops
