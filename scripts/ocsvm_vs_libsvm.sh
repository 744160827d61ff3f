#!/bin/sh
# The one-class SVM's measurements, kept as hidden Catch2 cases in test/model/test_ocsvm.cpp:
#   - fit time of logad's exact SMO vs LIBSVM's svm-train -s 2 (Debian libsvm-tools) on synthetic
#     5,000-20,000 x 30-50 matrices, nu 0.05 and 0.5, same gamma/tolerance/cache, one thread each;
#     svm-train's time to read its text input is measured separately and printed;
#   - accuracy loss of the random-Fourier-feature mode vs the exact model (ROC-AUC, Spearman rank
#     correlation of the scores) on planted outliers and, when ../shared/data is there, on the
#     HDFS session matrix.
# Usage: scripts/ocsvm_vs_libsvm.sh [BUILD_DIR]   (default: build). Takes a few minutes.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
cmake --build "$build" --target test_model >/dev/null
exec "$build/test/test_model" "[ocsvm-bench]"
