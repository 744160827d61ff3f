#pragma once
// What every network receiver shares: where it listens, and what it counted. A receiver runs
// threads of its own from construction to destruction, handing each message to a LineQueue.
#include <logad/export.hpp>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace logad::receive {

// Where a receiver listens: "tcp://HOST:PORT", "udp://HOST:PORT", "http://HOST:PORT".
// HOST may be a name, an IPv4 address or a bracketed IPv6 one; left out ("tcp://:5514") it is
// 127.0.0.1, so only this machine can send unless an address is given. Port 0 = any free port.
struct LOGAD_API Endpoint {
    std::string scheme;
    std::string host = "127.0.0.1";
    int port = 0;
    std::string text() const;  // scheme://host:port, IPv6 hosts bracketed
};
// Throws UsageError naming `flag` when `text` is not SCHEME://[HOST]:PORT with one of `schemes`
// (comma separated, e.g. "tcp,udp").
LOGAD_API Endpoint parse_endpoint(std::string_view text, std::string_view flag, std::string_view schemes);

struct ReceiverStats {
    std::uint64_t messages = 0;     // messages received (queued or dropped)
    std::uint64_t dropped = 0;      // messages the full queue could not take
    std::uint64_t rejected = 0;     // broken frames, bad requests (a whole request counts once)
    std::uint64_t truncated = 0;    // messages cut at the maximum message length
    std::uint64_t connections = 0;  // TCP connections (HTTP: requests) accepted
};

// The same counts as a receiver's threads keep them.
struct ReceiverCounters {
    std::atomic<std::uint64_t> messages{0}, dropped{0}, rejected{0}, truncated{0}, connections{0};
    ReceiverStats snapshot() const noexcept {
        return {messages.load(), dropped.load(), rejected.load(), truncated.load(), connections.load()};
    }
};

class Receiver {
public:
    virtual ~Receiver() = default;
    // The address bound, with the real port when 0 was asked for.
    virtual Endpoint endpoint() const = 0;
    virtual ReceiverStats stats() const = 0;  // safe from any thread
    // Stops receiving and joins the receiver's threads (the destructor does it too); idempotent.
    virtual void stop() = 0;
};

}  // namespace logad::receive
