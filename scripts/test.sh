#!/usr/bin/env bash
# Installs what the tests need and runs every check and test: type-check, lint, format, unit tests,
# and the integration tests on real WireGuard (network namespaces), real databases, real Chromium
# and promtool (Debian's prometheus package) checking both metrics expositions.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-system.sh chromium prometheus
npm ci --no-audit --no-fund
npm run check
