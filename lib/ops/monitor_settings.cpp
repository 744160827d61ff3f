#include <logad/ops/monitor_settings.hpp>

#include <unistd.h>

namespace logad::ops {
namespace {

std::string host_name() {
    char buf[256] = {0};
    if (::gethostname(buf, sizeof buf - 1) != 0) return {};
    return buf;
}

}  // namespace

MonitorOptions monitor_options(const MonitorSettings& s, const pipeline::PipelineModel& model) {
    MonitorOptions o;
    o.metrics_listen = s.metrics_listen;
    o.metrics_file = s.metrics_file;
    o.model_templates = model.miner ? model.miner->size() : 0;
    const std::string host = host_name();
    auto alert = [&](const std::string& url, AlertFormat format) {
        AlertOptions a;
        a.url = url;
        a.format = format;
        a.cooldown_ms = s.cooldown_ms;
        a.max_per_minute = s.alert_rate;
        a.instance = host;
        o.alerts.push_back(a);
    };
    if (!s.webhook.empty()) alert(s.webhook, AlertFormat::slack);
    if (!s.alertmanager.empty()) alert(s.alertmanager, AlertFormat::alertmanager);
    return o;
}

}  // namespace logad::ops
