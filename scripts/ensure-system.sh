#!/usr/bin/env bash
# Installs the Debian packages wgfleet needs when they are missing (as root, without recommends:
# with them, apt pulls a kernel image). Sourced by the demo and test scripts.
set -euo pipefail

need=()
command -v wg >/dev/null 2>&1 || need+=(wireguard-tools)
command -v wg-quick >/dev/null 2>&1 || need+=(wireguard-tools)
command -v wireguard-go >/dev/null 2>&1 || need+=(wireguard-go)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "wgfleet: installing ${need[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "wgfleet: run as root to install ${need[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
  echo "wgfleet: Node.js 20 or newer is required" >&2
  exit 1
fi

# No kernel WireGuard on many hosts: let wg-quick fall back to wireguard-go.
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
