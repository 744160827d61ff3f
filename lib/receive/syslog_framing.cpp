#include <logad/receive/syslog_framing.hpp>

#include <algorithm>

namespace logad::receive {
namespace {

constexpr std::size_t k_max_count_digits = 9;  // up to 999,999,999 octets: beyond is not a count

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

SyslogFramer::SyslogFramer(std::size_t max_message) : m_max(std::max<std::size_t>(max_message, 1)) {}

void SyslogFramer::emit_message(const Emit& emit) {
    if (m_cut) ++m_truncated;
    emit(m_message);
    m_message.clear();
    m_cut = false;
    m_state = State::frame_start;
}

bool SyslogFramer::feed(std::string_view bytes, const Emit& emit) {
    if (!m_error.empty()) return false;
    std::size_t i = 0;
    while (i < bytes.size()) {
        switch (m_state) {
        case State::frame_start: {
            const char c = bytes[i];
            if (c == '\n' || c == '\r' || c == '\0') {
                ++i;
            } else if (c >= '1' && c <= '9') {
                m_state = State::count;
            } else {
                m_state = State::line;
            }
            break;
        }
        case State::count: {
            const char c = bytes[i];
            if (is_digit(c)) {
                m_digits += c;
                ++i;
                if (m_digits.size() > k_max_count_digits) {
                    m_error = "octet count of more than " + std::to_string(k_max_count_digits) +
                              " digits (a stream out of step, or not syslog)";
                    return false;
                }
            } else if (c == ' ') {
                m_remaining = std::stoull(m_digits);
                m_digits.clear();
                ++i;
                m_state = State::octets;
                if (m_remaining == 0) emit_message(emit);
            } else {
                // Digits not followed by a space: no count after all, but the start of a line
                // (a message without a PRI, such as "2026-12-07T10:00:00Z host app: ...").
                m_message = m_digits.substr(0, m_max);
                m_cut = m_digits.size() > m_max;
                m_digits.clear();
                m_state = State::line;
            }
            break;
        }
        case State::octets: {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, bytes.size() - i));
            const std::size_t room = m_max - std::min(m_max, m_message.size());
            m_message.append(bytes.substr(i, std::min(n, room)));
            if (n > room) m_cut = true;
            i += n;
            m_remaining -= n;
            if (m_remaining == 0) {
                // Some senders end an octet-counted message with a line break as well.
                while (!m_message.empty() && (m_message.back() == '\n' || m_message.back() == '\r')) m_message.pop_back();
                emit_message(emit);
            }
            break;
        }
        case State::line: {
            const std::size_t lf = bytes.find('\n', i);
            const std::size_t end = lf == std::string_view::npos ? bytes.size() : lf;
            const std::size_t room = m_max - std::min(m_max, m_message.size());
            m_message.append(bytes.substr(i, std::min(end - i, room)));
            if (end - i > room) m_cut = true;
            i = end;
            if (lf != std::string_view::npos) {
                ++i;
                if (!m_message.empty() && m_message.back() == '\r') m_message.pop_back();
                emit_message(emit);
            }
            break;
        }
        }
    }
    return true;
}

void SyslogFramer::finish(const Emit& emit) {
    if (!m_error.empty()) return;
    if (m_state == State::line && !m_message.empty()) {
        emit_message(emit);
    } else if (m_state == State::count) {
        m_message = m_digits;  // digits alone, then the peer closed: a line without its LF
        m_digits.clear();
        emit_message(emit);
    } else if (m_state == State::octets) {
        ++m_incomplete;
    }
    m_message.clear();
    m_state = State::frame_start;
}

}  // namespace logad::receive
