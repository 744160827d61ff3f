#include <logad/pipeline/signal.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

namespace logad::pipeline {

// One per file of this folder.
std::unique_ptr<Signal> make_new_template_signal();
std::unique_ptr<Signal> make_value_range_signal(bool fields);
std::unique_ptr<Signal> make_burst_signal();
std::unique_ptr<Signal> make_silence_signal();
std::unique_ptr<Signal> make_level_shift_signal();
std::unique_ptr<Signal> make_scan_signal();
std::unique_ptr<Signal> make_status_share_signal();
std::unique_ptr<Signal> make_sequence_signal();

std::unique_ptr<Signal> make_signal(SignalKind kind) {
    switch (kind) {
        case SignalKind::new_template: return make_new_template_signal();
        case SignalKind::param_range: return make_value_range_signal(false);
        case SignalKind::field_range: return make_value_range_signal(true);
        case SignalKind::burst: return make_burst_signal();
        case SignalKind::silence: return make_silence_signal();
        case SignalKind::level_shift: return make_level_shift_signal();
        case SignalKind::scan: return make_scan_signal();
        case SignalKind::status_share: return make_status_share_signal();
        case SignalKind::sequence: return make_sequence_signal();
    }
    throw UsageError(fmt::format("unknown signal kind {}", static_cast<int>(kind)));
}

}  // namespace logad::pipeline
