#include "ops_options.hpp"

#include <logad/error.hpp>
#include <logad/util/duration.hpp>
#include <logad/util/secret_file.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <cstdlib>

#include <unistd.h>

namespace logad::cli {
namespace {

std::string host_name() {
    char buf[256] = {0};
    if (::gethostname(buf, sizeof buf - 1) != 0) return {};
    return buf;
}

class CliMonitor final : public ops::ScoreObserver {
public:
    CliMonitor(ops::MonitorOptions options, bool quiet, std::ostream& err)
        : m_monitor(std::move(options)), m_quiet(quiet), m_err(err) {}
    ops::Monitor& monitor() { return m_monitor; }
    void on_record(const pipeline::ScoreRecord& r) override { m_monitor.on_record(r); }
    void on_incident(const pipeline::Incident& i) override { m_monitor.on_incident(i); }
    void on_progress(const ops::ScoreProgress& p) override {
        m_monitor.on_progress(p);
        print_warnings();
    }
    void finish(const ops::ScoreProgress& p) override {
        m_monitor.finish(p);
        print_warnings();
        if (!m_quiet)
            for (const std::string& line : m_monitor.summary()) fmt::print(m_err, "logad score: {}\n", line);
    }

private:
    void print_warnings() {
        for (const std::string& w : m_monitor.take_warnings()) fmt::print(m_err, "logad score: warning: {}\n", w);
    }
    ops::Monitor m_monitor;
    bool m_quiet;
    std::ostream& m_err;
};

}  // namespace

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

ops::Registry* metrics_registry(ops::ScoreObserver* observer) {
    auto* m = dynamic_cast<CliMonitor*>(observer);
    return m ? &m->monitor().registry() : nullptr;
}

std::unique_ptr<ops::ScoreObserver> start_monitor(const OpsFlags& f, const pipeline::PipelineModel& model, bool quiet,
                                                  std::ostream& err) {
    const std::int64_t cooldown = util::parse_duration_ms(f.alert_cooldown, "--alert-cooldown");
    const std::string webhook = webhook_url(f);
    if (!f.used() && webhook.empty()) return nullptr;
    ops::MonitorOptions o;
    o.metrics_listen = f.metrics_listen;
    o.metrics_file = f.metrics_file;
    o.model_templates = model.miner ? model.miner->size() : 0;
    const std::string host = host_name();
    auto alert = [&](const std::string& url, ops::AlertFormat format) {
        ops::AlertOptions a;
        a.url = url;
        a.format = format;
        a.cooldown_ms = cooldown;
        a.max_per_minute = f.alert_rate;
        a.instance = host;
        o.alerts.push_back(a);
    };
    if (!webhook.empty()) alert(webhook, ops::AlertFormat::slack);
    if (!f.alertmanager.empty()) alert(f.alertmanager, ops::AlertFormat::alertmanager);
    auto m = std::make_unique<CliMonitor>(std::move(o), quiet, err);
    if (!quiet && m->monitor().metrics_port() > 0) {
        const std::string h = ops::parse_listen_address(f.metrics_listen, "--metrics-listen").host;
        fmt::print(err, "logad score: metrics at http://{}:{}/metrics\n", h.find(':') != std::string::npos ? "[" + h + "]" : h,
                   m->monitor().metrics_port());
    }
    return m;
}

}  // namespace logad::cli
