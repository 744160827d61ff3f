#pragma once
// A source that reads another one (a decoder, a pushed-back prefix): it is ready while it still
// holds input of its own or the wrapped source is; name, size and position are the wrapped one's
// (for progress, a compressed file's bytes).
#include <logad/io/input.hpp>

#include <memory>
#include <string>
#include <utility>

namespace logad::io {

class WrappedSource : public ByteSource {
public:
    explicit WrappedSource(std::unique_ptr<ByteSource> raw) : m_raw(std::move(raw)) {}
    bool ready() override { return holds_input() || m_raw->ready(); }
    bool wait_ready(int timeout_ms) override { return holds_input() || m_raw->wait_ready(timeout_ms); }
    const std::string& name() const override { return m_raw->name(); }
    long long size_hint() const override { return m_raw->size_hint(); }
    long long position() const override { return m_raw->position(); }

protected:
    virtual bool holds_input() const = 0;  // input read from m_raw and not yet used up
    std::unique_ptr<ByteSource> m_raw;
};

}  // namespace logad::io
