#!/usr/bin/env bash
# Installs what wgfleet needs and runs the product on this machine: a node agent (HTTPS on
# 127.0.0.1:8787) managing a demo WireGuard interface `wgdemo0` (10.99.0.1/24, UDP 51899).
# Everything lives under ./.demo; Ctrl-C stops the agent and takes the demo interface down.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-system.sh curl
[[ -d node_modules ]] || npm ci --no-audit --no-fund
npm run --silent build

demo="$PWD/.demo"
listen="${WGFLEET_DEMO_LISTEN:-127.0.0.1:8787}"
mkdir -p "$demo/wireguard"
chmod 700 "$demo" "$demo/wireguard"
wgfleet() { node bin/wgfleet.js "$@"; }

join=$(wgfleet agent init --state-dir "$demo/agent" --listen "$listen" | tail -n 1)
token=$(<"$demo/agent/token")

wgfleet agent --state-dir "$demo/agent" --listen "$listen" --conf-dir "$demo/wireguard" \
  --interfaces wgdemo0 --log-level warn &
agent=$!
cleanup() {
  curl -sk -o /dev/null -X POST -H "Authorization: Bearer $token" "https://$listen/v1/wg/wgdemo0/down" || true
  kill "$agent" 2>/dev/null || true
  wait "$agent" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

api() { curl -sk -H "Authorization: Bearer $token" -H 'content-type: application/json' "$@"; }
for _ in $(seq 1 50); do
  curl -sk -o /dev/null "https://$listen/v1/health" && break
  sleep 0.2
done

if [[ -f "$demo/wireguard/wgdemo0.conf" ]]; then
  api -X POST "https://$listen/v1/wg/wgdemo0/up" >/dev/null
else
  api -X POST "https://$listen/v1/wg" \
    -d '{"name":"wgdemo0","address":"10.99.0.1/24","listen_port":51899}' >/dev/null
fi

cat <<INFO

wgfleet agent is running on https://$listen, managing the demo interface wgdemo0.

  Join string for the panel (a secret):
    $join

  Try it:
    curl -sk https://$listen/v1/health
    curl -sk -H "Authorization: Bearer \$(cat .demo/agent/token)" https://$listen/v1/wg
    curl -sk -H "Authorization: Bearer \$(cat .demo/agent/token)" https://$listen/v1/wg/wgdemo0/dump
    curl -sk -H "Authorization: Bearer \$(cat .demo/agent/token)" https://$listen/v1/openapi.json

Press Ctrl-C to stop (wgdemo0 goes down; its peers stay in .demo/wireguard/wgdemo0.conf).
INFO
wait "$agent"
