#include "fixed_blocking.hpp"

#include <Eigen/Core>

namespace logad::model {

void use_fixed_eigen_blocking() {
    constexpr std::ptrdiff_t l1 = 32 * 1024, l2 = 1024 * 1024, l3 = 32 * 1024 * 1024;
    std::ptrdiff_t now1 = 0, now2 = 0, now3 = 0;
    Eigen::internal::manage_caching_sizes(Eigen::GetAction, &now1, &now2, &now3);
    if (now1 != l1 || now2 != l2 || now3 != l3) Eigen::setCpuCacheSizes(l1, l2, l3);
}

}  // namespace logad::model
