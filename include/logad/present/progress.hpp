#pragma once
// A progress line on stderr for long batch work (train, score on files): lines read, the rate,
// and when every input is a regular file the share done and the time left. Drawn only when the
// caller says a person is watching (stderr is a terminal; see terminal.hpp), redrawn at most
// five times a second, and erased before anything else is written to stderr.
#include <logad/export.hpp>
#include <logad/io/input.hpp>

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace logad::present {

class LOGAD_API Progress {
public:
    // `files` as given ("-" is stdin): their sizes, when all are regular files, give percentages.
    Progress(std::string command, const std::vector<std::string>& files, std::ostream& err, bool enabled);
    ~Progress() { clear(); }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // The next input starts; the previous one (if any) counts as fully read.
    void next_file(const io::ByteSource& source);
    // `lines` read in all so far. Cheap when nothing is drawn: call it every thousand lines.
    void update(std::uint64_t lines);
    // A phase with no count ("fitting iforest on 120000 rows"), drawn at once.
    void phase(const std::string& what);
    void clear();

    // The text of the line, for tests: `fraction` < 0 when unknown.
    static std::string format_line(const std::string& command, std::uint64_t lines, double seconds, double fraction);

private:
    using Clock = std::chrono::steady_clock;
    void draw(const std::string& text);

    std::string m_command;
    std::ostream& m_err;
    bool m_enabled;
    long long m_total = -1;      // bytes in all inputs, -1 when some size is unknown
    long long m_done_files = 0;  // bytes of the inputs already read
    long long m_current_size = 0;
    const io::ByteSource* m_current = nullptr;
    Clock::time_point m_start = Clock::now();
    Clock::time_point m_last_draw{};
    Clock::duration m_first_draw{};
    bool m_drawn = false;
};

}  // namespace logad::present
