#include <logad/receive/receiver.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <charconv>

namespace logad::receive {

std::string Endpoint::text() const {
    const bool v6 = host.find(':') != std::string::npos;
    return fmt::format("{}://{}{}{}:{}", scheme, v6 ? "[" : "", host, v6 ? "]" : "", port);
}

Endpoint parse_endpoint(std::string_view text, std::string_view flag, std::string_view schemes) {
    const auto bad = [&](std::string_view why) {
        return UsageError(fmt::format("{} '{}': {}; write SCHEME://HOST:PORT with SCHEME one of {}, e.g. {}://127.0.0.1:{}",
                                      flag, text, why, schemes, schemes.substr(0, schemes.find(',')),
                                      schemes.substr(0, 4) == "http" ? 4318 : 5514));
    };
    Endpoint e;
    const std::size_t sep = text.find("://");
    if (sep == std::string_view::npos) throw bad("no scheme");
    e.scheme = std::string(text.substr(0, sep));
    bool known = false;
    for (std::size_t b = 0; b <= schemes.size();) {
        const std::size_t c = std::min(schemes.find(',', b), schemes.size());
        known |= schemes.substr(b, c - b) == e.scheme;
        b = c + 1;
    }
    if (!known) throw bad("unknown scheme");
    std::string_view rest = text.substr(sep + 3);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    std::string_view host, port;
    if (!rest.empty() && rest.front() == '[') {
        const std::size_t close = rest.find(']');
        if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') throw bad("bad IPv6 address");
        host = rest.substr(1, close - 1);
        port = rest.substr(close + 2);
    } else {
        const std::size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) throw bad("no port");
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) throw bad("an IPv6 address needs brackets");
    }
    if (!host.empty()) e.host = std::string(host);
    int p = -1;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p < 0 || p > 65535)
        throw bad("the port must be a number from 0 to 65535");
    e.port = p;
    return e;
}

}  // namespace logad::receive
