#pragma once
// `logad score` flags for operations: Prometheus metrics and alert delivery (lib/ops), and the
// observer that score_logs() tells of every record, of progress and of the end of input.
#include <logad/ops/monitor.hpp>
#include <logad/pipeline/pipeline_model.hpp>

#include <iosfwd>
#include <memory>
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

// Null when no flag (nor LOGAD_ALERT_WEBHOOK) asks for metrics or alerts. Warnings from the background threads (secrets
// redacted) go to `err` as they come; a summary of the alerts at the end unless `quiet`.
std::unique_ptr<ops::ScoreObserver> start_monitor(const OpsFlags& flags, const pipeline::PipelineModel& model,
                                                  bool quiet, std::ostream& err);

// The metrics registry of a monitor start_monitor() returned, or null (none, or no metrics asked for).
ops::Registry* metrics_registry(ops::ScoreObserver* observer);

}  // namespace logad::cli
