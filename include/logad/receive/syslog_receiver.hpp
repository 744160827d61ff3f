#pragma once
// A syslog receiver: TCP (RFC 6587 framing, syslog_framing.hpp) or UDP (RFC 5426, one message
// per datagram), one thread polling every socket. Each message goes to the LineQueue whole, as
// it came (`<PRI>...`): the syslog line format (lib/parse) reads its RFC 5424 or RFC 3164 header
// into host, app, procid/pid and the level, as it does for a file of such lines.
//
// Bounded: at most k_max_connections TCP connections at once (more wait in the kernel's backlog),
// a 64 KiB read buffer, messages cut at max_message bytes, and a connection whose framing breaks
// is closed and counted as rejected.
#include <logad/export.hpp>
#include <logad/receive/line_queue.hpp>
#include <logad/receive/receiver.hpp>

#include <atomic>
#include <memory>
#include <thread>

namespace logad::receive {

struct SyslogSettings {
    Endpoint endpoint;  // scheme tcp or udp
    std::size_t max_message = std::size_t(64) << 10;
    std::string flag = "--listen-syslog";  // names the flag in errors
};

class LOGAD_API SyslogReceiver final : public Receiver {
public:
    static constexpr std::size_t k_max_connections = 256;
    // Binds at once (throws UsageError when it cannot) and receives until destroyed.
    SyslogReceiver(SyslogSettings settings, LineQueue& queue);
    ~SyslogReceiver() override;

    Endpoint endpoint() const override { return m_settings.endpoint; }
    ReceiverStats stats() const override;
    void stop() override;

private:
    class Loop;

    SyslogSettings m_settings;
    ReceiverCounters m_counters;
    std::unique_ptr<Loop> m_loop;
    std::thread m_thread;
};

}  // namespace logad::receive
