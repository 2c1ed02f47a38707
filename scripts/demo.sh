#!/usr/bin/env bash
# Installs what wgfleet needs and runs the product on this machine, on embedded SQLite:
#   - a node agent (HTTPS on 127.0.0.1:8787) managing a demo WireGuard interface `wgdemo0`
#     (10.99.0.1/24, UDP 51899),
#   - the panel (http://127.0.0.1:10086) with that agent added as the node "demo".
# Everything lives under ./.demo; Ctrl-C stops both and takes the demo interface down.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-system.sh curl
[[ -d node_modules ]] || npm ci --no-audit --no-fund
npm run --silent build

demo="$PWD/.demo"
agent_listen="${WGFLEET_DEMO_AGENT_LISTEN:-127.0.0.1:8787}"
panel_listen="${WGFLEET_DEMO_PANEL_LISTEN:-127.0.0.1:10086}"
mkdir -p "$demo/wireguard" "$demo/panel"
chmod 700 "$demo" "$demo/wireguard" "$demo/panel"
wgfleet() { node bin/wgfleet.js "$@"; }

join=$(wgfleet agent init --state-dir "$demo/agent" --listen "$agent_listen" | tail -n 1)
token=$(<"$demo/agent/token")
if [[ ! -f "$demo/admin-password" ]]; then
  (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(12).toString("base64url"))' >"$demo/admin-password")
fi
password=$(<"$demo/admin-password")

wgfleet agent --state-dir "$demo/agent" --listen "$agent_listen" --conf-dir "$demo/wireguard" \
  --interfaces wgdemo0 --log-level warn &
agent=$!
WGFLEET_ADMIN_USER=admin WGFLEET_ADMIN_PASSWORD="$password" \
  wgfleet panel --data-dir "$demo/panel" --listen "$panel_listen" --log-level warn &
panel=$!
cleanup() {
  curl -sk -o /dev/null -X POST -H "Authorization: Bearer $token" "https://$agent_listen/v1/wg/wgdemo0/down" || true
  kill "$panel" "$agent" 2>/dev/null || true
  wait "$panel" "$agent" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_for() {
  for _ in $(seq 1 100); do
    curl -sk -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "wgfleet: $1 did not answer" >&2
  return 1
}
wait_for "https://$agent_listen/v1/health"
wait_for "http://$panel_listen/api/handshake"

agent_api() { curl -sk -H "Authorization: Bearer $token" -H 'content-type: application/json' "$@"; }
if [[ -f "$demo/wireguard/wgdemo0.conf" ]]; then
  agent_api -X POST "https://$agent_listen/v1/wg/wgdemo0/up" >/dev/null
else
  agent_api -X POST "https://$agent_listen/v1/wg" \
    -d '{"name":"wgdemo0","address":"10.99.0.1/24","listen_port":51899}' >/dev/null
fi

# Sign in and add the agent as the node "demo" (once: the panel keeps it in its database).
cookies="$demo/panel/cookies"
curl -s -o /dev/null -c "$cookies" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "http://$panel_listen/api/authenticate"
if ! curl -s -b "$cookies" "http://$panel_listen/api/getNodes" | grep -q '"name":"demo"'; then
  curl -s -o /dev/null -b "$cookies" -H 'content-type: application/json' \
    -d "{\"name\":\"demo\",\"join\":\"$join\",\"public_host\":\"127.0.0.1\"}" "http://$panel_listen/api/addNode"
fi
rm -f "$cookies"

cat <<INFO

wgfleet is running.

  Panel:  http://$panel_listen   (user admin, password in .demo/admin-password)
  Agent:  https://$agent_listen, managing the demo interface wgdemo0, added to the panel as "demo"

  Try it:
    curl -s -c /tmp/wgf -H 'content-type: application/json' \\
      -d "{\"username\":\"admin\",\"password\":\"\$(cat .demo/admin-password)\"}" http://$panel_listen/api/authenticate
    curl -s -b /tmp/wgf http://$panel_listen/api/getNodes
    curl -s -b /tmp/wgf http://$panel_listen/api/getWireguardConfigurations
    curl -s -b /tmp/wgf -H 'content-type: application/json' -d '{"name":"phone"}' \\
      http://$panel_listen/api/addPeers/wgdemo0

Press Ctrl-C to stop (wgdemo0 goes down; its peers stay in .demo/wireguard/wgdemo0.conf).
INFO
wait "$panel" "$agent"
