// live::Receivers: the receivers a run asks for, read as one input, counted, and final at stop().
#include <logad/error.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/live/receivers.hpp>

#include "../support/loopback.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <string>

using namespace logad;

namespace {

int port_of(const std::string& name) { return std::stoi(name.substr(name.rfind(':') + 1)); }

}  // namespace

TEST_CASE("live receivers: a TCP syslog message is a line of the input, counted and in the metrics", "[live]") {
    live::ReceiverSettings settings;
    settings.syslog = {"tcp://127.0.0.1:0"};
    settings.otlp = {"http://127.0.0.1:0"};
    live::Receivers receivers(settings);
    REQUIRE(receivers.names().size() == 2);
    CHECK(receivers.names()[0].rfind("syslog tcp://127.0.0.1:", 0) == 0);
    CHECK(receivers.names()[1].rfind("otlp http://127.0.0.1:", 0) == 0);
    CHECK(receivers.names()[1].size() > std::string("/v1/logs").size());
    CHECK(receivers.name() == receivers.names()[0] + ", " + receivers.names()[1]);
    CHECK_FALSE(receivers.token_required());

    const int fd = logad::test::connect_loopback(port_of(receivers.names()[0]), std::chrono::seconds(5));
    REQUIRE(fd >= 0);
    logad::test::send_all(fd, "<13>1 2026-11-20T09:00:00Z host app - - - disk full\n");
    ::close(fd);
    auto source = receivers.source();
    io::LineReader reader(*source);
    std::string_view line;
    REQUIRE(reader.next(line));
    CHECK(std::string(line).find("disk full") != std::string::npos);

    ops::Registry registry;
    receivers.add_metrics(registry);
    const std::string text = registry.render();
    CHECK(text.find("logad_receiver_messages_total{receiver=\"" + receivers.names()[0] + "\"} 1") != std::string::npos);
    CHECK(text.find("logad_receiver_queue_length 0") != std::string::npos);

    receivers.stop();
    CHECK(receivers.stats(0).messages == 1);
    CHECK(receivers.stats(1).messages == 0);
    CHECK(receivers.unread() == 0);
    CHECK(receivers.dropped() == 0);
}

TEST_CASE("live receivers: an OTLP token is asked for, a bad address is a usage error", "[live]") {
    live::ReceiverSettings with_token;
    with_token.otlp = {"http://127.0.0.1:0"};
    with_token.otlp_token = "s3cret";
    CHECK(live::Receivers(with_token).token_required());
    live::ReceiverSettings bad;
    bad.syslog = {"127.0.0.1:5514"};  // no scheme
    CHECK_THROWS_AS(live::Receivers(bad), UsageError);
}
