#pragma once
// A Monitor's options (monitor.hpp) from what a user asks for: where metrics go, which alert
// destinations, how often alerts may repeat. Alerts name this host (its name as the instance).
#include <logad/export.hpp>
#include <logad/ops/monitor.hpp>
#include <logad/pipeline/pipeline_model.hpp>

#include <cstdint>
#include <string>

namespace logad::ops {

struct MonitorSettings {
    std::string metrics_listen;  // HOST:PORT; empty = no listener
    std::string metrics_file;    // for node_exporter's textfile collector; empty = none
    std::string webhook;         // Slack-compatible incoming webhook URL; empty = none
    std::string alertmanager;    // Alertmanager base URL; empty = none
    std::int64_t cooldown_ms = 5 * 60 * 1000;  // no second alert on the same template or reason within this
    int alert_rate = 20;                       // posts per minute per destination
    bool enabled() const {
        return !metrics_listen.empty() || !metrics_file.empty() || !webhook.empty() || !alertmanager.empty();
    }
};

// The options of a Monitor for a run scoring with `model` (its templates are the known ones).
LOGAD_API MonitorOptions monitor_options(const MonitorSettings& settings, const pipeline::PipelineModel& model);

}  // namespace logad::ops
