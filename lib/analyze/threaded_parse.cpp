#include <logad/analyze/threaded_parse.hpp>

#include <logad/event_json.hpp>
#include <logad/parse/record_assembler.hpp>
#include <logad/util/block_pipeline.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <utility>
#include <vector>

#include <sys/stat.h>

namespace logad::analyze {
namespace {

bool blank_line(std::string_view line) noexcept {
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

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

    // from spread (lines_independent formats)
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
        format = parse::make_format(format_options);
        split = format->lines_independent();
        if (split) {
            workers.resize(static_cast<std::size_t>(options.threads));  // their parts are made by each worker
        } else {
            sequential = std::make_unique<parse::RecordAssembler>(*format, sequential_sink, options.multiline,
                                                                  options.max_record_bytes);
            sequential_sink.assembler = sequential.get();
        }
        blocks.resize(2 * static_cast<std::size_t>(options.threads) + 2);
    }

    mine::TemplateMiner& miner;
    io::OutputBuffer* out;  // null: run_input only
    ThreadedParseOptions options;
    parse::FormatOptions format_options;
    std::unique_ptr<parse::LineFormat> format;
    bool split = false;  // lines_independent: parsed in parallel (spread, fold); else in order (assemble, mask, learn)
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

    // not split: one assembler, run by the in-order assemble step
    BlockRecords sequential_sink;
    std::unique_ptr<parse::RecordAssembler> sequential;
    parse::ParseStats sequential_seen;

    WorkerParts& parts(int worker);
    void spread(Block& b, WorkerParts& w);
    void fold(Block& b);
    void assemble(Block& b);
    void mask(Block& b) const;
    void learn(Block& b);
    void append_to_carry(std::string_view line);
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
    if (!w.format) {
        w.format = parse::make_format(format_options);
        w.assembler = std::make_unique<parse::RecordAssembler>(*w.format, w.sink, options.multiline,
                                                               options.max_record_bytes);
        w.sink.assembler = w.assembler.get();
    }
    return w;
}

// spread (parallel): parse, assemble and mask one block on its own.
void ThreadedParser::Impl::spread(Block& b, WorkerParts& w) {
    b.lead.clear();
    b.stats = {};
    b.count = 0;
    b.add_event();  // events[0]: the held record from the block before, placed by fold
    std::size_t i = 0;
    const std::size_t n = b.lines();
    if (options.multiline) {
        for (; i < n; ++i) {
            const std::string_view line = b.line(i);
            if (blank_line(line)) {
                ++b.stats.lines;
                ++b.stats.empty;
                continue;
            }
            w.scratch.clear();
            w.scratch.line = b.numbers[i];
            if (w.format->parse(line, w.scratch).kind != parse::LineResult::no_match) break;
            ++b.stats.lines;
            b.lead.push_back(i);
        }
    }
    const parse::ParseStats before = w.assembler->stats();
    w.sink.block = &b;
    for (; i < n; ++i) w.assembler->push_line(b.line(i), b.numbers[i]);
    w.assembler->release();
    b.stats += w.assembler->stats() - before;
    const mine::Masker& masker = miner.masker();
    for (std::size_t k = 1; k < b.count; ++k) masker.mask(b.events[k].record.message, b.masked[k]);
}

// As RecordAssembler::append: "\n" and the line, cut at max_record_bytes.
void ThreadedParser::Impl::append_to_carry(std::string_view line) {
    ++carry.record.line_count;
    ++stats.continuation_lines;
    carry_dirty = true;
    if (parse::append_within(carry.record.message, "\n", line, options.max_record_bytes)) carry_cut = true;
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

// fold (in order): the held record and the leading continuation lines, then learning.
void ThreadedParser::Impl::fold(Block& b) {
    stats += b.stats;
    for (const std::size_t i : b.lead) {
        if (have_carry) append_to_carry(b.line(i));
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
        have_carry = true;
        --b.count;
    }
    if (b.input_end && have_carry) emit_carry_into(b, b.add_event());  // records never span inputs
    b.stats_to_end = stats;
    learn(b);
}

// For a format that remembers earlier lines: parsing and assembly in input order (the
// assembler's held record goes out with a later block), then masking in parallel.
void ThreadedParser::Impl::assemble(Block& b) {
    b.count = 0;
    b.first_out = 0;
    sequential_sink.block = &b;
    for (std::size_t i = 0; i < b.lines(); ++i) sequential->push_line(b.line(i), b.numbers[i]);
    if (b.input_end) sequential->release();
    stats += sequential->stats() - sequential_seen;
    sequential_seen = sequential->stats();
    b.stats_to_end = stats;
}

void ThreadedParser::Impl::mask(Block& b) const {
    const mine::Masker& masker = miner.masker();
    for (std::size_t k = 0; k < b.count; ++k) masker.mask(b.events[k].record.message, b.masked[k]);
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
        }
        return true;
    };
    const auto on_block = [&impl](void (Impl::*step)(Block&)) {
        return [&impl, step](std::size_t slot, int) { (impl.*step)(impl.blocks[slot]); };
    };
    if (impl.split) {
        const auto spread = [&impl](std::size_t slot, int worker) {
            impl.spread(impl.blocks[slot], impl.parts(worker));
        };
        steps.steps = {{spread, false}, {on_block(&Impl::fold), true}};
    } else {
        const auto mask = [&impl](std::size_t slot, int) { impl.mask(impl.blocks[slot]); };
        steps.steps = {{on_block(&Impl::assemble), true}, {mask, false}, {on_block(&Impl::learn), true}};
    }
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
