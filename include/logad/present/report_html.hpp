#pragma once
// The page of `logad report` (lib/present/report_html.cpp documents what it holds).
#include <logad/export.hpp>
#include <logad/pipeline/report_data.hpp>

#include <string>

namespace logad::present {

using pipeline::ReportData;
using pipeline::ReportTemplate;

// A self-contained HTML page (inline CSS and SVG, no script, no external resource) with every
// piece of log text escaped.
LOGAD_API std::string render_report_html(const ReportData& data, const std::string& title);

}  // namespace logad::present
