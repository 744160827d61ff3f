#pragma once
// What `logad templates` prints: one template a line (id, count, template), or with `json` one
// NDJSON object a line (template_id, count, template, example); by id, or most frequent first.
#include <logad/export.hpp>
#include <logad/mine/template_miner.hpp>

#include <iosfwd>

namespace logad::present {

LOGAD_API void print_templates(const mine::TemplateMiner& miner, bool json, bool by_count, std::ostream& out);

}  // namespace logad::present
