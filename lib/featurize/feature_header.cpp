// The header line of a feature-row stream (feature_header.hpp).
#include <logad/featurize/feature_header.hpp>

#include <logad/featurize/feature_space.hpp>
#include <logad/featurize/featurizers.hpp>

#include <nlohmann/json.hpp>

namespace logad::featurize {

std::string feature_header_json(const FeatureSpace& space, Granularity per, const WindowOptions& window, std::string_view key,
                                const SessionOptions& session) {
    nlohmann::json header;
    header["feature_space"] = space.to_json();
    header["per"] = granularity_name(per);
    header["names"] = space.feature_names(per);
    if (per == Granularity::window) header["window_ms"] = window.window_ms, header["slide_ms"] = window.slide_ms;
    if (per == Granularity::session) header["key"] = key, header["idle_ms"] = session.idle_ms;
    return header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace logad::featurize
