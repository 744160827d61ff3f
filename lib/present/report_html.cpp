// The page of `logad report`: one HTML file with inline CSS and inline SVG charts drawn here, so
// it needs no script, no network and no external resource. Log text is untrusted input: every
// piece of it goes through escape() before it reaches the page.
#include <logad/present/report_html.hpp>

#include <logad/util/civil_time.hpp>
#include <logad/version.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace logad::present {
namespace {

constexpr int k_width = 960, k_height = 150, k_buckets = 120;

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string axis_label(const ReportData& d, std::int64_t at) {
    if (!d.times) return fmt::format("line {}", at);
    std::string s;
    util::append_rfc3339_ms(s, at);
    return s.substr(0, 19) + "Z";
}

double x_of(const ReportData& d, std::int64_t at) {
    const double span = std::max<double>(1.0, static_cast<double>(d.last - d.first));
    return 40.0 + (k_width - 50.0) * static_cast<double>(at - d.first) / span;
}

std::string chart_frame(const ReportData& d, const std::string& title, const std::string& body) {
    return fmt::format(
        "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\">"
        "<rect x=\"40\" y=\"5\" width=\"{}\" height=\"{}\" class=\"plot\"/>{}"
        "<text x=\"40\" y=\"{}\" class=\"tick\">{}</text><text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"end\">{}</text>"
        "</svg></figure>\n",
        escape(title), k_width, k_height + 20, k_width, k_height + 20, k_width - 50, k_height - 5, body, k_height + 15,
        escape(axis_label(d, d.first)), k_width - 10, k_height + 15, escape(axis_label(d, d.last)));
}

// Bars of events (or scored records) per bucket of the x axis.
std::string volume_chart(const ReportData& d) {
    std::vector<double> counts(k_buckets, 0.0);
    const double span = std::max<double>(1.0, static_cast<double>(d.last - d.first));
    const auto bucket = [&](std::int64_t at) {
        return std::clamp(static_cast<int>(k_buckets * static_cast<double>(at - d.first) / span), 0, k_buckets - 1);
    };
    const bool from_events = !d.event_times.empty() && d.times;
    if (from_events) {
        for (const auto t : d.event_times) counts[bucket(t)] += static_cast<double>(d.event_weight());
    } else {
        for (const auto& p : d.points) counts[bucket(p.at)] += p.anomaly ? 1.0 : static_cast<double>(d.point_weight());
    }
    const double top = std::max(1.0, *std::max_element(counts.begin(), counts.end()));
    const double bar = (k_width - 50.0) / k_buckets;
    std::string body;
    for (int i = 0; i < k_buckets; ++i) {
        if (counts[i] <= 0) continue;
        const double h = (k_height - 10.0) * counts[i] / top;
        body += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" class=\"bar\"/>", 40 + i * bar,
                            k_height - h, std::max(1.0, bar - 1), h);
    }
    body += fmt::format("<text x=\"36\" y=\"14\" class=\"tick\" text-anchor=\"end\">{:.0f}</text>", top);
    return chart_frame(d, from_events ? "Log volume (events per bucket)" : "Rows scored per bucket", body);
}

// One dot per scored row at score / threshold (capped at 3); the dashed line is the threshold.
std::string score_chart(const ReportData& d) {
    static constexpr double k_cap = 3.0;
    const auto y_of = [](double ratio) { return k_height - (k_height - 10.0) * std::min(ratio, k_cap) / k_cap; };
    std::string body = fmt::format("<line x1=\"40\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"threshold\"/>", k_width - 10,
                                   y_of(1.0), y_of(1.0));
    for (const auto& p : d.points) {
        if (!std::isfinite(p.ratio)) continue;
        body += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" class=\"{}\"/>", x_of(d, p.at), y_of(p.ratio),
                            p.anomaly ? 3 : 1.5, p.anomaly ? "anomaly" : "normal");
    }
    body += "<text x=\"36\" y=\"14\" class=\"tick\" text-anchor=\"end\">3x</text>";
    return chart_frame(d, "Anomaly score / threshold (red: anomalies)", body);
}

std::string anomaly_table(const ReportData& d) {
    if (d.top.empty()) return "<p>No anomalies.</p>\n";
    std::string html =
        "<table class=\"anomalies\"><thead><tr><th>score / threshold</th><th>when</th><th>what</th><th>detector</th><th>reasons</th>"
        "<th>example</th></tr></thead><tbody>\n";
    for (const auto& a : d.top) {
        std::string reasons;
        for (const auto& r : a.reasons) reasons += "<li>" + escape(r) + "</li>";
        html += fmt::format(
            "<tr><td class=\"num\">{:.2f}</td><td>{}</td><td>{}</td><td>{}</td><td><ul>{}</ul></td>"
            "<td><code>{}</code>{}</td></tr>\n",
            a.ratio, escape(a.when),
            escape(a.per == "line" || a.per == "row" ? a.covers : a.per + (a.covers.empty() ? "" : ", " + a.covers)),
            escape(a.detector), reasons, escape(a.message),
            a.template_text.empty() ? "" : "<div class=\"template\">" + escape(a.template_text) + "</div>");
    }
    return html + "</tbody></table>\n";
}

std::string incident_table(const ReportData& d) {
    if (d.top_incidents.empty())
        return fmt::format("<p>{} incident{} opened, none closed in the input.</p>\n", d.opened, d.opened == 1 ? "" : "s");
    std::string html =
        "<table class=\"incidents\"><thead><tr><th>score / threshold</th><th>when</th><th>what</th><th>records</th><th>reasons</th>"
        "<th>examples</th></tr></thead><tbody>\n";
    for (const auto& i : d.top_incidents) {
        std::string reasons, examples, detectors;
        for (const auto& r : i.reasons) reasons += "<li>" + escape(r) + "</li>";
        for (const auto& e : i.examples) examples += "<code>" + escape(e) + "</code><br>";
        for (const auto& x : i.detectors) detectors += (detectors.empty() ? "" : ", ") + escape(x);
        html += fmt::format(
            "<tr><td class=\"num\">{:.2f}</td><td>{}<div class=\"template\">{}</div></td><td>#{} {}<div class=\"template\">{}</div>"
            "<div class=\"template\">{}</div></td><td class=\"num\">{} ({} lines)</td><td><ul>{}</ul></td><td>{}</td></tr>\n",
            i.score, escape(i.when), escape(i.covers), i.id, escape(i.kind), escape(i.subject), detectors, i.records, i.lines,
            reasons, examples);
    }
    return html + "</tbody></table>\n";
}

std::string template_table(const ReportData& d) {
    std::vector<std::pair<std::uint32_t, const ReportTemplate*>> list;
    for (const auto& [id, t] : d.templates) list.emplace_back(id, &t);
    if (list.empty()) return "<p>No templates in the input (give the events with --events).</p>\n";
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
        return a.second->is_new != b.second->is_new ? a.second->is_new : a.second->count > b.second->count;
    });
    std::string html = "<table class=\"templates\"><thead><tr><th>template id</th><th>count</th><th>template</th></tr></thead><tbody>\n";
    std::size_t shown = 0;
    for (const auto& [id, t] : list) {
        if (++shown > 500) break;
        html += fmt::format("<tr{}><td class=\"num\">{}</td><td class=\"num\">{}</td><td><code>{}</code>{}</td></tr>\n",
                            t->is_new ? " class=\"new\"" : "", id, t->count, escape(t->text),
                            t->is_new ? " <strong>new: never seen in training</strong>" : "");
    }
    return html + "</tbody></table>\n";
}

constexpr const char* k_style = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
.summary span { display: inline-block; margin-right: 2em; }
figure { margin: 1em 0; } figcaption { font-weight: 600; }
svg .plot { fill: #fafafa; stroke: #ccc; } svg .bar { fill: #4a78b5; }
svg .normal { fill: #8aa; } svg .anomaly { fill: #d33; }
svg .threshold { stroke: #d33; stroke-dasharray: 4 3; } svg .tick { font-size: 11px; fill: #555; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
.anomalies th:nth-child(1) { width: 5em; } .anomalies th:nth-child(2) { width: 11em; }
.anomalies th:nth-child(3) { width: 8em; } .anomalies th:nth-child(4) { width: 9em; }
.incidents th:nth-child(1) { width: 5em; } .incidents th:nth-child(2) { width: 11em; }
.incidents th:nth-child(3) { width: 12em; } .incidents th:nth-child(4) { width: 6em; }
.templates th:nth-child(1) { width: 8em; } .templates th:nth-child(2) { width: 6em; } td { overflow-wrap: anywhere; } th, td { border-bottom: 1px solid #ddd; padding: 4px 6px;
  text-align: left; vertical-align: top; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { white-space: pre-wrap; word-break: break-all; } .template { color: #666; font-size: 12px; }
tr.new { background: #fff3f3; } ul { margin: 0; padding-left: 1.2em; }
)";

}  // namespace

std::string render_report_html(const ReportData& d, const std::string& title) {
    std::string detectors;
    for (const auto& [name, n] : d.anomalies_by_detector) detectors += fmt::format("{}{} {}", detectors.empty() ? "" : ", ", n, name);
    std::size_t new_templates = 0;
    for (const auto& [id, t] : d.templates) new_templates += t.is_new;

    std::string html = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        "<title>{}</title><style>{}</style></head><body>\n<h1>{}</h1>\n"
        "<p class=\"summary\"><span>{} incidents</span><span>{} rows scored</span><span>{} anomalies{}</span><span>{} events</span>"
        "<span>{} new templates</span><span>{} .. {}</span></p>\n",
        escape(title), k_style, escape(title), d.incidents, d.records, d.anomalies, detectors.empty() ? "" : " (" + escape(detectors) + ")",
        d.events, new_templates, d.records ? escape(axis_label(d, d.first)) : "-",
        d.records ? escape(axis_label(d, d.last)) : "-");
    if (d.records > 0) html += volume_chart(d) + score_chart(d);
    if (d.incidents + d.opened > 0)
        html += fmt::format("<h2>Incidents ({} of {} shown)</h2>\n", d.top_incidents.size(), d.incidents) + incident_table(d);
    html += fmt::format("<h2>Top anomalies ({} shown)</h2>\n", d.top.size()) + anomaly_table(d);
    html += "<h2>Templates</h2>\n" + template_table(d);
    html += fmt::format("<p class=\"tick\">Made by logad {}.</p>\n</body></html>\n", k_version);
    return html;
}

}  // namespace logad::present
