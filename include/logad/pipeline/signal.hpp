#pragma once
// The signals behind one interface, as the detectors are behind Detector: each judges one
// granularity against the Baseline (signals.hpp) and raises its alerts through the
// SignalContext; make_signal maps a SignalKind to its class (one file per signal in
// lib/pipeline/signals/). SignalChecker asks them in SignalKind order.
#include <logad/featurize/feature_row.hpp>
#include <logad/pipeline/signal_kind.hpp>
#include <logad/pipeline/signals.hpp>

#include <memory>
#include <string>

namespace logad::pipeline {

class Signal {
public:
    virtual ~Signal() = default;
    virtual SignalKind kind() const noexcept = 0;
    virtual featurize::Granularity per() const noexcept = 0;
    // Per line: true when it raised an alert (one alert per line: the signals after it are not asked).
    virtual bool check_line(const Event& /*e*/, SignalContext& /*context*/) { return false; }
    virtual void check_window(const Tally& /*t*/, SignalContext& /*context*/) {}
    virtual void check_session(const std::string& /*key*/, const SessionTrace& /*s*/, SignalContext& /*context*/) {}
};

std::unique_ptr<Signal> make_signal(SignalKind kind);

}  // namespace logad::pipeline
