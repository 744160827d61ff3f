#include <logad/util/versioned_file.hpp>

#include <logad/error.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/util/json_depth.hpp>

#include <logad/util/json_packed.hpp>

#include <fmt/core.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <istream>
#include <streambuf>
#include <string>
#include <vector>
#include <unistd.h>
#include <nlohmann/json.hpp>

namespace logad::util {
namespace {

using json = nlohmann::json;

// Reads a descriptor for the parser, 64 KiB at a time; remembers a read error and a file that
// grew past the limit after it was opened.
class JsonFileInput final : public std::streambuf {
public:
    JsonFileInput(int fd, std::size_t max_bytes) : m_fd(fd), m_max_bytes(max_bytes) {}
    ~JsonFileInput() override { ::close(m_fd); }
    JsonFileInput(const JsonFileInput&) = delete;
    JsonFileInput& operator=(const JsonFileInput&) = delete;

    int error() const noexcept { return m_error; }
    bool too_large() const noexcept { return m_total > m_max_bytes; }

protected:
    int_type underflow() override {
        for (;;) {
            const ssize_t n = ::read(m_fd, m_buffer.data(), m_buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) m_error = errno;
            if (n <= 0) return traits_type::eof();
            m_total += static_cast<std::size_t>(n);
            if (too_large()) return traits_type::eof();
            setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + n);
            return traits_type::to_int_type(m_buffer[0]);
        }
    }

private:
    int m_fd;
    std::size_t m_max_bytes;
    std::size_t m_total = 0;
    int m_error = 0;
    std::array<char, 1 << 16> m_buffer{};
};

// Builds the document from nlohmann's SAX events as its DOM parser would, and besides: refuses a
// key given twice in one object and nesting deeper than k_max_json_depth, and packs arrays of
// numbers inside a `detector.state` object (json_packed.hpp), so a large model takes memory in
// proportion to its numbers rather than 5-10 times its bytes.
class PackingDomBuilder {
public:
    explicit PackingDomBuilder(json& root) : m_root(root) {}

    const std::string& duplicate() const noexcept { return m_duplicate; }
    bool too_deep() const noexcept { return m_too_deep; }

    bool null() { return put(json(nullptr)) != nullptr; }
    bool boolean(bool v) { return put(json(v)) != nullptr; }
    bool number_integer(json::number_integer_t v) { return number(static_cast<double>(v), v >= -k_exact && v <= k_exact, true, json(v)); }
    bool number_unsigned(json::number_unsigned_t v) {
        return number(static_cast<double>(v), v <= static_cast<json::number_unsigned_t>(k_exact), true, json(v));
    }
    bool number_float(json::number_float_t v, const std::string&) { return number(v, true, false, json(v)); }
    bool string(std::string& s) { return put(json(std::move(s))) != nullptr; }
    bool binary(json::binary_t& b) { return put(json::binary(std::move(b))) != nullptr; }
    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(std::string& k) {
        Frame& f = m_frames.back();
        if (f.value->contains(k)) {
            m_duplicate = k;
            return false;
        }
        f.slot = &(*f.value)[k];
        f.key = std::move(k);
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

private:
    static constexpr std::int64_t k_exact = std::int64_t(1) << 53;  // integers a double holds exactly

    struct Frame {
        json* value;
        std::string name;        // the key this container sits under ("" in an array or at the top)
        bool in_state = false;   // inside a detector's state: arrays of numbers are packed
        bool packing = false;    // an array holding only numbers so far, kept in `bytes`
        bool integers = true;
        json* slot = nullptr;    // objects: where the value of the last key goes
        std::string key;         // objects: the last key
        std::vector<std::uint8_t> bytes;
    };

    // Stores a finished value where the innermost open container expects it.
    json* put(json&& v) {
        if (m_frames.empty()) {
            m_root = std::move(v);
            return &m_root;
        }
        Frame& f = m_frames.back();
        if (f.packing) unpack(f);  // a value that is not a number: an ordinary array after all
        if (f.value->is_array()) {
            f.value->push_back(std::move(v));
            return &f.value->back();
        }
        *f.slot = std::move(v);
        return f.slot;
    }

    bool number(double d, bool exact, bool integer, json&& v) {
        if (!m_frames.empty() && m_frames.back().packing && exact) {
            Frame& f = m_frames.back();
            const auto at = f.bytes.size();
            f.bytes.resize(at + sizeof d);
            std::memcpy(f.bytes.data() + at, &d, sizeof d);
            f.integers = f.integers && integer;
            return true;
        }
        return put(std::move(v)) != nullptr;
    }

    // The numbers packed so far become ordinary values again.
    static void unpack(Frame& f) {
        f.packing = false;
        for (std::size_t at = 0; at < f.bytes.size(); at += sizeof(double)) {
            double d;
            std::memcpy(&d, f.bytes.data() + at, sizeof d);
            if (f.integers) f.value->push_back(static_cast<std::int64_t>(d));
            else f.value->push_back(d);
        }
        std::vector<std::uint8_t>().swap(f.bytes);
    }

    bool open(json&& container) {
        if (static_cast<int>(m_frames.size()) >= k_max_json_depth) {
            m_too_deep = true;
            return false;
        }
        Frame frame;
        if (!m_frames.empty()) {
            const Frame& parent = m_frames.back();
            if (parent.value->is_object()) frame.name = parent.key;
            frame.in_state = parent.in_state || (container.is_object() && parent.name == "detector" && parent.key == "state" &&
                                                 parent.value->is_object());
        }
        frame.packing = frame.in_state && container.is_array();
        frame.value = put(std::move(container));  // stable: nothing is added beside it while it is open
        m_frames.push_back(std::move(frame));
        return true;
    }

    bool close() {
        Frame& f = m_frames.back();
        if (f.packing && !f.bytes.empty()) *f.value = make_packed(std::move(f.bytes), f.integers);
        m_frames.pop_back();
        return true;
    }

    json& m_root;
    std::vector<Frame> m_frames;
    std::string m_duplicate;
    bool m_too_deep = false;
};

}  // namespace

void save_versioned(const std::filesystem::path& path, const FileKind& kind, nlohmann::json doc) {
    doc["format"] = kind.name;
    doc["version"] = kind.version;
    // 0600 for a new file (less the umask): models and miner states hold log text, templates and
    // example lines. A rewrite keeps whatever mode the file was given.
    write_file_atomically(path, dump_json(doc) + "\n", 0600);
}

void check_envelope(const nlohmann::json& doc, const FileKind& kind, std::string_view origin) {
    if (!doc.is_object() || !doc.contains("format") || !doc["format"].is_string())
        throw FormatError(fmt::format("{} is not a {} file (no \"format\" field)", origin, kind.name));
    const auto format = doc["format"].get<std::string>();
    if (format != kind.name)
        throw FormatError(fmt::format("{} is a {} file, expected {}", origin, format, kind.name));
    if (!doc.contains("version") || !doc["version"].is_number_integer())
        throw FormatError(fmt::format("{} has no integer \"version\"; it is damaged", origin));
    const nlohmann::json& v = doc["version"];  // an integer; a huge one is simply "newer"
    const std::int64_t version = v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX ? INT64_MAX : v.get<std::int64_t>();
    if (version > kind.version)
        throw FormatError(fmt::format("{} has {} version {}, newer than this logad reads ({}); upgrade logad",
                                      origin, kind.name, version, kind.version));
    if (version < kind.oldest_readable)
        throw FormatError(fmt::format("{} has {} version {}, too old for this logad (oldest {}); recreate it",
                                      origin, kind.name, version, kind.oldest_readable));
}

nlohmann::json load_versioned(const std::filesystem::path& path, const FileKind& kind) {
    // Parsed as it is read, never held as text: memory follows the values, not the bytes twice.
    JsonFileInput input(open_regular_file(path, k_max_saved_file), k_max_saved_file);
    std::istream stream(&input);
    nlohmann::json doc;
    PackingDomBuilder builder(doc);
    const bool ok = nlohmann::json::sax_parse(stream, &builder, nlohmann::json::input_format_t::json, true, false);
    if (input.error() != 0)
        throw InputError(fmt::format("cannot read {}: {}", path.string(), std::strerror(input.error())));
    if (input.too_large())
        throw InputError(fmt::format("{} is larger than {} bytes; is it the right file?", path.string(), k_max_saved_file));
    if (builder.too_deep())
        throw FormatError(fmt::format("{} nests JSON more than {} levels deep; it is damaged, recreate it", path.string(),
                                      k_max_json_depth));
    // A key given twice in one object is kept once by the parser (the last one wins), so an edit
    // or a splice could change a model silently: refuse the file instead.
    if (!builder.duplicate().empty())
        throw FormatError(fmt::format("{} holds the key \"{}\" twice in one object; the file is damaged or was edited, "
                                      "recreate it", path.string(), builder.duplicate()));
    if (!ok) throw FormatError(fmt::format("{} is not valid JSON (truncated or edited?); recreate it", path.string()));
    check_envelope(doc, kind, path.string());
    return doc;
}

}  // namespace logad::util
