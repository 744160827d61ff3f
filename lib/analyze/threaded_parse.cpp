#include <logad/analyze/threaded_parse.hpp>

#include <logad/event_json.hpp>
#include <logad/parse/record_assembler.hpp>
#include <logad/util/block_pipeline.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <sys/stat.h>

namespace logad::analyze {
namespace {

constexpr std::size_t k_block_bytes = std::size_t(2) << 20;  // a block ends early on long lines

}  // namespace

// Named (not anonymous), as ThreadedParser::Impl holds them.
namespace threaded {

// Two threads writing into neighbouring objects slow each other down (the cache line between
// them moves from core to core on every write): the blocks and the workers' parts sit on lines
// of their own. 128 bytes, as cores fetch lines in pairs.
constexpr std::size_t k_own_lines = 128;

// One block of lines and everything made from it; a slot's block is reused for later blocks.
struct alignas(k_own_lines) Block {
    std::string text;                      // the lines back to back
    std::vector<std::size_t> ends;         // end of each line in `text`
    std::vector<std::uint64_t> numbers;    // 1-based line number of each line
    bool input_end = false;                // the last block of an input

    // from spread, or from reparse when spread's guess was wrong
    std::vector<std::size_t> history_in;   // the format's history the block was parsed from
    std::vector<std::size_t> history_out;  // and after its last line
    bool ends_open = false;                // its last record is incomplete (a partial line)
    std::vector<std::size_t> lead;         // leading lines that continue the previous block's last record
    parse::ParseStats stats;               // of the block's lines, as the assembler counted them
    // the block's records (spread: events[0] is kept for the record held back from the block before)
    std::vector<Event> events;
    std::vector<mine::MaskedMessage> masked;
    std::vector<std::uint8_t> cut;         // the record was cut at max_record_bytes (and counted)
    std::size_t count = 0;                 // events in use
    std::size_t first_out = 0;             // events[first_out, count) are written

    std::string json;                      // from finish
    parse::ParseStats stats_to_end;        // every line up to the block's last, counted (run_input)

    std::size_t lines() const noexcept { return ends.size(); }
    std::string_view line(std::size_t i) const noexcept {
        const std::size_t b = i ? ends[i - 1] : 0;
        return std::string_view(text).substr(b, ends[i] - b);
    }
    void clear_lines() noexcept {
        text.clear();
        ends.clear();
        numbers.clear();
        input_end = false;
    }
    // The next event slot. Slots are reused from block to block and their strings keep their
    // capacity, except a slot that once held a long record: kept, every slot of every block in
    // flight would in time hold the longest record seen (a log with a 470 KB line every 97 lines
    // took 1.9 GB with two threads, 29 MB with one).
    std::size_t add_event() {
        if (count == events.size()) {
            events.emplace_back();
            masked.emplace_back();
            cut.push_back(0);
        } else if (footprint(count) > k_slot_keep_bytes) {
            // Taken out, not assigned over: a string assigned an empty one keeps its buffer.
            (void)std::exchange(events[count], Event{});
            (void)std::exchange(masked[count], mine::MaskedMessage{});
        }
        return count++;
    }

private:
    static constexpr std::size_t k_slot_keep_bytes = std::size_t(64) << 10;
    // The heap a slot's buffers hold, roughly (its parameters' own strings left out).
    std::size_t footprint(std::size_t i) const noexcept {
        const Event& e = events[i];
        const mine::MaskedMessage& m = masked[i];
        return e.record.message.capacity() + e.template_text.capacity() + e.params.capacity() * sizeof(Param) +
               m.text.capacity() + m.scratch.capacity() + m.tokens.capacity() * sizeof(mine::MaskedToken) +
               m.params.capacity() * sizeof(mine::MaskedParam);
    }
};

// Sink of an assembler: records go to the end of the current block.
class BlockRecords final : public Sink<Record> {
public:
    Block* block = nullptr;
    const parse::RecordAssembler* assembler = nullptr;
    void push(Record& record) override {
        const std::size_t i = block->add_event();
        block->events[i].record.swap(record);  // the assembler gets the slot's old strings back
        const std::uint64_t cut_now = assembler->stats().cut;
        block->cut[i] = cut_now != m_cut_seen;
        m_cut_seen = cut_now;
    }

private:
    std::uint64_t m_cut_seen = 0;
};

// Per worker thread: its own format (formats are not thread-safe) and assembler.
struct alignas(k_own_lines) WorkerParts {
    std::unique_ptr<parse::LineFormat> format;
    BlockRecords sink;
    std::unique_ptr<parse::RecordAssembler> assembler;
    Record scratch;
};

}  // namespace threaded

using threaded::Block;
using threaded::BlockRecords;
using threaded::WorkerParts;

struct ThreadedParser::Impl {
    Impl(const parse::FormatOptions& format_options_, mine::TemplateMiner& miner_, io::OutputBuffer* out_,
         ThreadedParseOptions options_)
        : miner(miner_), out(out_), options(options_), format_options(format_options_) {
        options.threads = std::max(options.threads, 1);
        options.block_lines = std::max<std::size_t>(options.block_lines, 1);
        workers.resize(static_cast<std::size_t>(options.threads));  // their parts are made by each worker
        make_parts(in_order);
        in_order.format->save_history(history);
        guess = history;
        blocks.resize(2 * static_cast<std::size_t>(options.threads) + 2);
    }

    mine::TemplateMiner& miner;
    io::OutputBuffer* out;  // null: run_input only
    ThreadedParseOptions options;
    parse::FormatOptions format_options;
    std::vector<WorkerParts> workers;
    std::vector<Block> blocks;
    std::string file;
    parse::ParseStats stats;

    // split: the last record so far, held back for continuation lines in the next block (fold only)
    Event carry;
    mine::MaskedMessage carry_masked;
    bool have_carry = false;
    bool carry_cut = false;          // cut at max_record_bytes
    bool carry_cut_counted = false;  // and counted in stats
    bool carry_dirty = false;        // lines were added after it was masked
    bool carry_open = false;         // incomplete: the next parsed line continues its message

    // fold: the format's history after the blocks folded so far, and the parts that parse a
    // block again from it
    std::vector<std::size_t> history;
    WorkerParts in_order;
    std::uint64_t reparsed = 0;
    // the history spread parses a block from: fold's latest
    std::mutex guess_lock;
    std::vector<std::size_t> guess;

    void make_parts(WorkerParts& w) const;
    WorkerParts& parts(int worker);
    void spread(Block& b, WorkerParts& w);
    void reparse(Block& b);
    void parse_lines(Block& b, WorkerParts& w, std::size_t first);
    std::optional<parse::LineResult::Kind> leading_line(Block& b, WorkerParts& w, std::size_t i);
    void fold(Block& b);
    void learn(Block& b);
    void append_to_carry(std::string_view sep, std::string_view text);
    void carry_from_line(std::string_view line, std::uint64_t number);
    void emit_carry_into(Block& b, std::size_t i);
    void write(Block& b) const;
    void run(io::LineReader& reader, std::vector<util::BlockStep> after_learn);
};

// A worker's own format and assembler, made by the worker itself: made together by one thread,
// the workers' objects were neighbours in memory, and each worker's writes to its own slowed the
// other's (the cache lines between them went from core to core).
WorkerParts& ThreadedParser::Impl::parts(int worker) {
    WorkerParts& w = workers[static_cast<std::size_t>(worker)];
    if (!w.format) make_parts(w);
    return w;
}

void ThreadedParser::Impl::make_parts(WorkerParts& w) const {
    w.format = parse::make_format(format_options);
    w.assembler = std::make_unique<parse::RecordAssembler>(*w.format, w.sink, options.multiline,
                                                           options.max_record_bytes);
    w.sink.assembler = w.assembler.get();
}

// spread (parallel): parse, assemble and mask one block on its own, from a guess of the format's
// history (fold's latest: logs keep their shape from block to block).
void ThreadedParser::Impl::spread(Block& b, WorkerParts& w) {
    {
        const std::lock_guard<std::mutex> hold(guess_lock);
        b.history_in = guess;
    }
    std::size_t at = 0;
    w.format->load_history(b.history_in, at);
    b.stats = {};
    parse_lines(b, w, 0);
}

// fold (in order), when spread's guess was not the true history or the block before ended
// inside an open record: the block parsed again from the true history, the pieces it starts
// with appended to the open record, as RecordAssembler appends them.
void ThreadedParser::Impl::reparse(Block& b) {
    ++reparsed;
    std::size_t at = 0;
    in_order.format->load_history(history, at);
    b.stats = {};
    std::size_t i = 0;
    for (; carry_open && i < b.lines(); ++i) {
        const auto kind = leading_line(b, in_order, i);
        if (!kind) continue;
        if (*kind == parse::LineResult::no_match) {
            carry_open = false;
            break;
        }
        ++b.stats.lines;
        append_to_carry({}, in_order.scratch.message);
        carry_open = *kind == parse::LineResult::incomplete;
    }
    parse_lines(b, in_order, i);
}

// Line i of a block's start through w's format into w.scratch, before the assembler takes the
// block; a blank line is counted as the assembler counts it (lines, empty) and not parsed.
std::optional<parse::LineResult::Kind> ThreadedParser::Impl::leading_line(Block& b, WorkerParts& w, std::size_t i) {
    const std::string_view line = b.line(i);
    if (parse::blank_line(line)) {
        ++b.stats.lines;
        ++b.stats.empty;
        return std::nullopt;
    }
    w.scratch.clear();
    w.scratch.line = b.numbers[i];
    return w.format->parse(line, w.scratch).kind;
}

// Lines [first, end) of the block with w's format as it stands: the leading continuation lines
// aside, then records assembled and masked.
void ThreadedParser::Impl::parse_lines(Block& b, WorkerParts& w, std::size_t first) {
    b.lead.clear();
    b.count = 0;
    b.add_event();  // events[0]: the held record from the block before, placed by fold
    std::size_t i = first;
    const std::size_t n = b.lines();
    if (options.multiline) {
        for (; i < n; ++i) {
            const auto kind = leading_line(b, w, i);
            if (!kind) continue;
            if (*kind != parse::LineResult::no_match) break;
            ++b.stats.lines;
            b.lead.push_back(i);
        }
    }
    const parse::ParseStats before = w.assembler->stats();
    w.sink.block = &b;
    for (; i < n; ++i) w.assembler->push_line(b.line(i), b.numbers[i]);
    b.ends_open = w.assembler->open();
    w.assembler->release();
    b.stats += w.assembler->stats() - before;
    b.history_out.clear();
    w.format->save_history(b.history_out);
    const mine::Masker& masker = miner.masker();
    for (std::size_t k = 1; k < b.count; ++k) masker.mask(b.events[k].record.message, b.masked[k]);
}

// As RecordAssembler::append: a continuation line after "\n", or the next piece of a partial line
// with no separator, cut at max_record_bytes.
void ThreadedParser::Impl::append_to_carry(std::string_view sep, std::string_view text) {
    ++carry.record.line_count;
    ++stats.continuation_lines;
    carry_dirty = true;
    if (parse::append_within(carry.record.message, sep, text, options.max_record_bytes)) carry_cut = true;
}

// As RecordAssembler with nothing held: a line the format does not match is an unparsed record.
void ThreadedParser::Impl::carry_from_line(std::string_view line, std::uint64_t number) {
    carry.record.clear();
    carry.record.line = number;
    carry.record.message.assign(line);
    carry_cut = carry.record.message.size() > options.max_record_bytes;
    if (carry_cut) carry.record.message.resize(options.max_record_bytes);
    carry_cut_counted = false;
    carry_dirty = true;
    have_carry = true;
    ++stats.unparsed;
    ++stats.records;
}

// The held record goes out as b.events[i].
void ThreadedParser::Impl::emit_carry_into(Block& b, std::size_t i) {
    std::swap(b.events[i], carry);
    std::swap(b.masked[i], carry_masked);
    if (carry_dirty) miner.masker().mask(b.events[i].record.message, b.masked[i]);
    if (carry_cut && !carry_cut_counted) ++stats.cut;
    have_carry = false;
}

// fold (in order): the block checked, the held record and the leading continuation lines,
// then learning.
void ThreadedParser::Impl::fold(Block& b) {
    if (carry_open || b.history_in != history) reparse(b);
    if (b.history_out != history) {
        history.swap(b.history_out);
        const std::lock_guard<std::mutex> hold(guess_lock);
        guess = history;
    }
    stats += b.stats;
    for (const std::size_t i : b.lead) {
        if (have_carry) append_to_carry("\n", b.line(i));
        else carry_from_line(b.line(i), b.numbers[i]);
    }
    b.first_out = 1;
    if (b.count > 1) {
        if (have_carry) {
            emit_carry_into(b, 0);
            b.first_out = 0;
        }
        // the block's last record is held back in turn
        const std::size_t last = b.count - 1;
        std::swap(carry, b.events[last]);
        std::swap(carry_masked, b.masked[last]);
        carry_cut = carry_cut_counted = b.cut[last] != 0;
        carry_dirty = false;
        carry_open = b.ends_open;
        have_carry = true;
        --b.count;
    }
    if (b.input_end) {  // records never span inputs
        if (have_carry) emit_carry_into(b, b.add_event());
        carry_open = false;
    }
    b.stats_to_end = stats;
    learn(b);
}

void ThreadedParser::Impl::learn(Block& b) {
    for (std::size_t k = b.first_out; k < b.count; ++k) miner.learn_masked(b.events[k], b.masked[k]);
}

// finish (parallel): the block's NDJSON.
void ThreadedParser::Impl::write(Block& b) const {
    b.json.clear();
    for (std::size_t k = b.first_out; k < b.count; ++k) append_event_json(b.json, b.events[k], file);
}

ThreadedParser::ThreadedParser(const parse::FormatOptions& format, mine::TemplateMiner& miner, io::OutputBuffer& out,
                               ThreadedParseOptions options)
    : m_impl(std::make_unique<Impl>(format, miner, &out, options)) {}

ThreadedParser::ThreadedParser(const parse::FormatOptions& format, mine::TemplateMiner& miner,
                               ThreadedParseOptions options)
    : m_impl(std::make_unique<Impl>(format, miner, nullptr, options)) {}

ThreadedParser::~ThreadedParser() = default;

const parse::ParseStats& ThreadedParser::stats() const { return m_impl->stats; }
std::uint64_t ThreadedParser::reparsed_blocks() const { return m_impl->reparsed; }
std::size_t ThreadedParser::slots() const { return m_impl->blocks.size(); }

// The steps up to learning, then `after_learn`.
void ThreadedParser::Impl::run(io::LineReader& reader, std::vector<util::BlockStep> after_learn) {
    Impl& impl = *this;
    util::BlockSteps steps;
    steps.read = [&impl, &reader](std::size_t slot, int) {
        Block& b = impl.blocks[slot];
        b.clear_lines();
        std::string_view line;
        while (b.lines() < impl.options.block_lines && b.text.size() < k_block_bytes) {
            if (!reader.next(line)) {
                b.input_end = true;
                return false;
            }
            b.text.append(line);
            b.ends.push_back(b.text.size());
            b.numbers.push_back(reader.line_number());
            if (impl.options.block_ends_every && reader.line_number() % impl.options.block_ends_every == 0) break;
        }
        return true;
    };
    const auto on_block = [&impl](void (Impl::*step)(Block&)) {
        return [&impl, step](std::size_t slot, int) { (impl.*step)(impl.blocks[slot]); };
    };
    const auto spread = [&impl](std::size_t slot, int worker) { impl.spread(impl.blocks[slot], impl.parts(worker)); };
    steps.steps = {{spread, false}, {on_block(&Impl::fold), true}};
    for (util::BlockStep& step : after_learn) steps.steps.push_back(std::move(step));
    util::run_block_pipeline(impl.options.threads, impl.blocks.size(), steps);
}

void ThreadedParser::parse_input(io::LineReader& reader, const std::string& file) {
    Impl& impl = *m_impl;
    impl.file = file;
    const auto write = [&impl](std::size_t slot, int) { impl.write(impl.blocks[slot]); };
    const auto deliver = [&impl](std::size_t slot, int) { impl.out->write(impl.blocks[slot].json); };
    impl.run(reader, {{write, false}, {deliver, true}});
}

void ThreadedParser::run_input(io::LineReader& reader, const std::vector<LearntStep>& steps) {
    Impl& impl = *m_impl;
    std::vector<util::BlockStep> after;
    for (const LearntStep& step : steps)
        after.push_back({[&impl, &step](std::size_t slot, int worker) {
                             Block& b = impl.blocks[slot];
                             LearntBlock view{b.events.data() + b.first_out, b.count - b.first_out, b.stats_to_end,
                                              b.numbers.empty() ? 0 : b.numbers.back(), b.input_end};
                             step.run(slot, worker, view);
                         },
                         step.in_order});
    impl.run(reader, std::move(after));
}

bool whole_file_input(const std::string& file, const std::istream& in) {
    if (file == "-" || file.empty()) {
        struct stat st {};
        return &in == &std::cin && ::fstat(0, &st) == 0 && S_ISREG(st.st_mode);
    }
    std::error_code ec;
    return std::filesystem::is_regular_file(file, ec);
}

}  // namespace logad::analyze
