#include <logad/io/output.hpp>

#include <logad/error.hpp>

#include <cerrno>
#include <cstring>
#include <fmt/core.h>

namespace logad::io {

OutputBuffer::~OutputBuffer() {
    try {
        if (!m_buf.empty() && m_out.good()) {
            m_out.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
            m_out.flush();
        }
    } catch (...) {
    }
}

void OutputBuffer::write_out() {
    errno = 0;
    m_out.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
    m_buf.clear();
    if (!m_out.good()) {
        if (errno == EPIPE) throw BrokenPipe();
        throw OutputError(fmt::format("cannot write output: {}", errno ? std::strerror(errno) : "stream error"));
    }
}

void OutputBuffer::write(std::string_view bytes) {
    if (!m_buf.empty()) write_out();
    if (bytes.empty()) return;
    errno = 0;
    m_out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!m_out.good()) {
        if (errno == EPIPE) throw BrokenPipe();
        throw OutputError(fmt::format("cannot write output: {}", errno ? std::strerror(errno) : "stream error"));
    }
}

void OutputBuffer::flush() {
    if (!m_buf.empty()) write_out();
    errno = 0;
    m_out.flush();
    if (!m_out.good()) {
        if (errno == EPIPE) throw BrokenPipe();
        throw OutputError(fmt::format("cannot write output: {}", errno ? std::strerror(errno) : "stream error"));
    }
}

}  // namespace logad::io
