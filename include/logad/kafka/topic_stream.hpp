#pragma once
// A topic read as a stream of bytes: each message value is one line (a newline added when it has
// none), for a line reader and a scoring chain that take bytes. Its four calls match io's
// ByteSource (read, ready, wait_ready, name), so a caller wraps it in one without kafka knowing io.
//
// When a message counts as done: the reader is expected to flush its scoring and output whenever
// ready() says no more input is ready (io::LineReader's idle hook runs before it waits). ready()
// says so at the end of every fetched batch, and the batch is marked done (GroupConsumer::mark_done)
// only at the next wait_ready(), after that flush. Offsets are committed from the done marks: a
// message is committed only after its line was scored and its records written.
// Every wait looks at util::stop_requested() (SIGINT/SIGTERM) and then ends the stream.
#include <logad/export.hpp>
#include <logad/kafka/consumer.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace logad::kafka {

class LOGAD_API TopicStream {
public:
    explicit TopicStream(GroupConsumer& consumer);

    // Up to `size` bytes of the values fetched; waits for messages when none are held; 0 at a stop.
    std::size_t read(char* buf, std::size_t size);
    // Bytes are held now (or a stop was asked for): read() will not wait.
    bool ready();
    // Waits up to `timeout_ms` (< 0: no limit) for messages; marks the batch read before done first.
    bool wait_ready(int timeout_ms);
    // "kafka topic NAME", as a file name in messages.
    const std::string& name() const { return m_name; }

private:
    bool refill(int timeout_ms);

    GroupConsumer& m_consumer;
    std::string m_name;
    std::vector<Message> m_batch;
    std::size_t m_pos = 0;  // next message to hand out
    std::size_t m_off = 0;  // bytes of it already handed out
    bool m_flush_coming = false;
};

}  // namespace logad::kafka
