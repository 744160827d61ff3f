#pragma once
// Splits a syslog TCP byte stream into messages (RFC 6587), deciding per message how it is framed:
//   octet counting  "MSG-LEN SP MSG": a frame that starts with a digit 1-9, digits then a space
//                   (what rsyslog's omfwd and syslog-ng's syslog() destination send)
//   LF framing      "MSG LF" (CR before the LF dropped): every other frame, e.g. "<13>Oct ..."
// Bytes arrive in reads of any size: a count or a message may be split across reads.
//
// Hostile or broken streams stay bounded: a message longer than `max_message` keeps its first
// max_message bytes (counted as truncated) and the rest is skipped as it arrives; an octet count
// of more than 9 digits is a stream out of step, reported by feed() returning false (the caller
// closes the connection). Line breaks between frames and NUL padding are skipped.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace logad::receive {

class SyslogFramer {
public:
    using Emit = std::function<void(std::string_view message)>;
    explicit SyslogFramer(std::size_t max_message);

    // Emits each message completed by `bytes`. False when the stream cannot be framed any more
    // (see error()); nothing more should be fed.
    bool feed(std::string_view bytes, const Emit& emit);
    // The peer closed: an LF-framed message without its final LF is still a message. An octet
    // frame cut short is dropped (counted in incomplete()).
    void finish(const Emit& emit);

    const std::string& error() const noexcept { return m_error; }
    std::uint64_t truncated() const noexcept { return m_truncated; }
    std::uint64_t incomplete() const noexcept { return m_incomplete; }

private:
    enum class State { frame_start, count, octets, line };
    void emit_message(const Emit& emit);

    std::size_t m_max;
    State m_state = State::frame_start;
    std::string m_message;       // the message so far (at most m_max bytes)
    std::string m_digits;        // an octet count so far
    std::uint64_t m_remaining = 0;  // octets of the current frame still to come
    bool m_cut = false;          // the current message went past m_max
    std::string m_error;
    std::uint64_t m_truncated = 0;
    std::uint64_t m_incomplete = 0;
};

}  // namespace logad::receive
