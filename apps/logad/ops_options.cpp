#include "ops_options.hpp"

#include <logad/error.hpp>
#include <logad/util/duration.hpp>
#include <logad/util/secret_file.hpp>

#include <CLI/CLI.hpp>

#include <cstdlib>

namespace logad::cli {

std::string webhook_url(const OpsFlags& f) {
    if (!f.alert_webhook.empty() && !f.alert_webhook_file.empty())
        throw UsageError("give --alert-webhook or --alert-webhook-file, not both");
    if (!f.alert_webhook.empty()) return f.alert_webhook;
    if (!f.alert_webhook_file.empty()) return util::read_secret_file(f.alert_webhook_file, "--alert-webhook-file");
    const char* env = std::getenv("LOGAD_ALERT_WEBHOOK");
    return env ? std::string(env) : std::string();
}

void add_ops_options(CLI::App& cmd, OpsFlags& f) {
    cmd.add_option("--metrics-listen", f.metrics_listen,
                   "serve Prometheus metrics at http://HOST:PORT/metrics; a bare port (9464, :9464) is 127.0.0.1, "
                   "0.0.0.0:9464 every interface; port 0 = any free port");
    cmd.add_option("--metrics-file", f.metrics_file,
                   "write the same metrics to this file atomically (node_exporter textfile collector)");
    cmd.add_option("--alert-webhook", f.alert_webhook,
                   "post incidents to a Slack-compatible incoming webhook URL (visible in ps: prefer the next two)");
    cmd.add_option("--alert-webhook-file", f.alert_webhook_file,
                   "read the webhook URL from the first line of this file (default: $LOGAD_ALERT_WEBHOOK)");
    cmd.add_option("--alertmanager", f.alertmanager, "post anomalies to Prometheus Alertmanager (e.g. http://localhost:9093)");
    cmd.add_option("--alert-cooldown", f.alert_cooldown,
                   "do not alert again on the same template or reason within this time")
        ->capture_default_str();
    cmd.add_option("--alert-rate", f.alert_rate, "at most this many alert posts per minute and destination")
        ->capture_default_str()
        ->check(CLI::Range(1, 10000));
}

ops::MonitorSettings monitor_settings(const OpsFlags& f) {
    ops::MonitorSettings s;
    s.cooldown_ms = util::parse_duration_ms(f.alert_cooldown, "--alert-cooldown");
    s.webhook = webhook_url(f);
    s.metrics_listen = f.metrics_listen;
    s.metrics_file = f.metrics_file;
    s.alertmanager = f.alertmanager;
    s.alert_rate = f.alert_rate;
    return s;
}

}  // namespace logad::cli
