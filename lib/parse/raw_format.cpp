#include "formats.hpp"

namespace logad::parse {
namespace {

class RawFormat final : public LineFormat {
public:
    std::string_view name() const override { return "raw"; }
    LineResult parse(std::string_view line, Record& out) const override {
        out.message.assign(line);
        return LineResult::ok();
    }
};

}  // namespace

std::unique_ptr<LineFormat> make_raw_format() { return std::make_unique<RawFormat>(); }

}  // namespace logad::parse
