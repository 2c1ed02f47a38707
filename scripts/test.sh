#!/usr/bin/env bash
# Installs what the tests need and runs every check and test: type-check, lint, format, unit tests,
# and the integration tests on real WireGuard (network namespaces) and real databases.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-system.sh chromium
npm ci --no-audit --no-fund
npm run check
