#pragma once
#include <logad/pipeline/report_data.hpp>

#include <string>

namespace logad::cli {

using pipeline::ReportData;
using pipeline::ReportTemplate;

// A self-contained HTML page (inline CSS and SVG, no script, no external resource) with every
// piece of log text escaped.
std::string render_report_html(const ReportData& data, const std::string& title);

}  // namespace logad::cli
