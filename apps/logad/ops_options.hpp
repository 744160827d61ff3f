#pragma once
// `logad score` flags for operations: Prometheus metrics and alert delivery (lib/ops; the monitor
// that score_logs() tells of every record, of progress and of the end: present/live_text.hpp).
#include <logad/ops/monitor_settings.hpp>

#include <string>

namespace CLI {
class App;
}

namespace logad::cli {

struct OpsFlags {
    std::string metrics_listen;  // HOST:PORT
    std::string metrics_file;    // for node_exporter's textfile collector
    std::string alert_webhook;   // Slack-compatible incoming webhook
    std::string alert_webhook_file;  // or its URL read from this file (not visible in `ps`)
    std::string alertmanager;    // Alertmanager base URL
    std::string alert_cooldown = "5m";
    int alert_rate = 20;  // posts per minute per destination
    bool used() const {
        return !metrics_listen.empty() || !metrics_file.empty() || !alert_webhook.empty() || !alert_webhook_file.empty() ||
               !alertmanager.empty();
    }
};
void add_ops_options(CLI::App& cmd, OpsFlags& flags);

// The webhook URL: --alert-webhook, else the first line of --alert-webhook-file, else the
// environment variable LOGAD_ALERT_WEBHOOK; empty when none. Secrets stay out of argv that way.
std::string webhook_url(const OpsFlags& flags);

// The monitor's settings: the webhook as webhook_url() finds it, the cooldown parsed.
ops::MonitorSettings monitor_settings(const OpsFlags& flags);

}  // namespace logad::cli
