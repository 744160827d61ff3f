#pragma once
// URLs given on the command line for alert delivery carry secrets: Slack-style webhooks put the
// token in the path (/services/T000/B000/XXXX), others use a query string (?token=...) or
// user:password@host. Nothing logad prints shows more than scheme://host:port.
#include <logad/export.hpp>
#include <string>
#include <string_view>

namespace logad::ops {

struct UrlParts {
    std::string scheme;    // http | https (lower case)
    std::string userinfo;  // user:password, without the @
    std::string host;      // with the port, as given: example.org:8443, [::1]:9093
    std::string rest;      // path, query and fragment: /services/T/B/X?x=y
};

// Splits an absolute http(s) URL; throws UsageError (naming `what`, never echoing the URL's
// secret parts) when it is not one.
UrlParts split_url(std::string_view url, std::string_view what);

// scheme://host:port, and "/***" when anything followed the host: safe to print.
std::string redact_url(std::string_view url);

// Replaces every secret piece of `url` (the whole URL, user info, password, path, query, path
// segments and query values) found in `text`, e.g. a library's error message.
std::string scrub_secrets(std::string text, std::string_view url);

// HOST:PORT for a listener: "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464" (every interface), or
// ":9464" / "9464" (127.0.0.1: only this machine unless asked); port 0 = any free port. Throws
// UsageError naming `what`.
struct ListenAddress {
    std::string host;
    int port = 0;
};
LOGAD_API ListenAddress parse_listen_address(std::string_view text, std::string_view what);

}  // namespace logad::ops
