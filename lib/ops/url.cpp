#include <logad/ops/url.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace logad::ops {
namespace {

void replace_all(std::string& text, std::string_view piece, std::string_view by) {
    if (piece.empty()) return;
    for (std::size_t at = text.find(piece); at != std::string::npos; at = text.find(piece, at + by.size()))
        text.replace(at, piece.size(), by);
}

// Splits on any of `seps`, keeping non-empty pieces.
std::vector<std::string> pieces(std::string_view s, std::string_view seps) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || seps.find(s[i]) != std::string_view::npos) {
            if (i > start) out.emplace_back(s.substr(start, i - start));
            start = i + 1;
        }
    return out;
}

}  // namespace

UrlParts split_url(std::string_view url, std::string_view what) {
    UrlParts p;
    const std::size_t colon = url.find("://");
    if (colon == std::string_view::npos)
        throw UsageError(fmt::format("{} must be an http:// or https:// URL", what));
    p.scheme = std::string(url.substr(0, colon));
    std::transform(p.scheme.begin(), p.scheme.end(), p.scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    if (p.scheme != "http" && p.scheme != "https")
        throw UsageError(fmt::format("{} must be an http:// or https:// URL, not {}://", what, p.scheme));
    std::string_view after = url.substr(colon + 3);
    const std::size_t end_authority = after.find_first_of("/?#");
    std::string_view authority = after.substr(0, end_authority);
    p.rest = end_authority == std::string_view::npos ? std::string() : std::string(after.substr(end_authority));
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        p.userinfo = std::string(authority.substr(0, at));
        authority.remove_prefix(at + 1);
    }
    p.host = std::string(authority);
    if (p.host.empty()) throw UsageError(fmt::format("{} has no host: give scheme://host[:port]/path", what));
    return p;
}

std::string redact_url(std::string_view url) {
    UrlParts p;
    try {
        p = split_url(url, "url");
    } catch (const UsageError&) {
        return "<url>";
    }
    return p.scheme + "://" + p.host + (p.rest.empty() || p.rest == "/" ? "" : "/***");
}

std::string scrub_secrets(std::string text, std::string_view url) {
    const std::string safe = redact_url(url);
    replace_all(text, url, safe);
    UrlParts p;
    try {
        p = split_url(url, "url");
    } catch (const UsageError&) {
        return text;
    }
    if (p.rest.size() > 1) replace_all(text, p.rest, "/***");
    if (!p.userinfo.empty()) {
        replace_all(text, p.userinfo, "***");
        const std::size_t colon = p.userinfo.find(':');
        if (colon != std::string::npos) replace_all(text, std::string_view(p.userinfo).substr(colon + 1), "***");
    }
    // Single path segments and query values (tokens) wherever they were quoted on their own.
    for (const std::string& piece : pieces(p.rest, "/?&=#;"))
        if (piece.size() >= 6) replace_all(text, piece, "***");
    return text;
}

ListenAddress parse_listen_address(std::string_view text, std::string_view what) {
    ListenAddress a;
    std::string_view port = text;
    const std::size_t colon = text.rfind(':');
    if (colon != std::string_view::npos) {
        a.host = std::string(text.substr(0, colon));
        port = text.substr(colon + 1);
        if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']') a.host = a.host.substr(1, a.host.size() - 2);
        else if (a.host.find(':') != std::string::npos)
            throw UsageError(fmt::format("{}: write an IPv6 address in brackets, e.g. [::1]:9464", what));
    }
    // A bare port (`9464`, `:9464`) is this machine only; every interface must be asked for (0.0.0.0:9464).
    if (a.host.empty()) a.host = "127.0.0.1";
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), a.port);
    if (ec != std::errc() || ptr != port.data() + port.size() || port.empty() || a.port < 0 || a.port > 65535)
        throw UsageError(fmt::format("{} wants HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:9464", what));
    return a;
}

}  // namespace logad::ops
