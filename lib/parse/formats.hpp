#pragma once
// The built-in LineFormats, made by make_format (make_format.cpp).
#include <logad/parse/line_format.hpp>
#include <logad/parse/timestamp.hpp>

#include <memory>
#include <string_view>

namespace logad::parse {

std::unique_ptr<LineFormat> make_header_format(std::string_view spec, const TimeContext& time);
std::unique_ptr<LineFormat> make_regex_format(const std::string& pattern, const TimeContext& time);
std::unique_ptr<LineFormat> make_raw_format();
// JSON lines; lines that wrap a record (Docker, journald, CloudWatch, Cloud Logging, Elasticsearch,
// ECS) are unwrapped as envelope + inner record (json_envelopes.hpp).
std::unique_ptr<LineFormat> make_json_format(const TimeContext& time);
// JSON lines read as they are, for payloads inside an envelope (one level deep).
std::unique_ptr<LineFormat> make_plain_json_format(const TimeContext& time);
// Text prefixes a client adds to a log line: kubectl logs --prefix, aws logs tail (text_envelopes.cpp).
std::unique_ptr<LineFormat> make_text_envelope_format(const TimeContext& time);
std::unique_ptr<LineFormat> make_logfmt_format(const TimeContext& time);
std::unique_ptr<LineFormat> make_syslog_format(const TimeContext& time);
std::unique_ptr<LineFormat> make_clf_format(const TimeContext& time);
std::unique_ptr<LineFormat> make_cri_format(const TimeContext& time);
// "<timestamp> [pid [tid]] [-] [level] message", the shape of most application logs (log4j, Go,
// HDFS, Android logcat, Zookeeper...).
std::unique_ptr<LineFormat> make_prefixed_format(const TimeContext& time);
// The known layouts (klog, Python logging, gunicorn, BGL...; known_layouts.cpp), used by auto.
std::unique_ptr<LineFormat> make_layouts_format(const TimeContext& time);
std::unique_ptr<LineFormat> make_auto_format(const TimeContext& time);
// Auto without the envelopes: what an envelope's payload is read with (inner_record.hpp).
std::unique_ptr<LineFormat> make_inner_auto_format(const TimeContext& time);  // no CRI either

// The auto format's rule for a line that no structured format matches (see line_format.hpp).
bool looks_like_continuation(std::string_view line) noexcept;

}  // namespace logad::parse
