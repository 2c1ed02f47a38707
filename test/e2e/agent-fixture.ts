// Shared helpers of the agent end-to-end files.
import { stat } from 'node:fs/promises';
import { expect } from 'vitest';
import type { AgentClient } from '../lab/index.js';

/** Mode bits (e.g. 0o600) of a file. */
export const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** Asserts an agent error answer: status, JSON `{error, message}`, and `message` naming `field`. */
export function expectError(
  res: { status: number; body: unknown; text: string },
  status: number | number[],
  field?: string,
): void {
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses, `status ${res.status}: ${res.text.slice(0, 300)}`).toContain(res.status);
  const body = res.body as { error?: unknown; message?: unknown };
  expect(typeof body?.error, res.text).toBe('string');
  expect(typeof body?.message, res.text).toBe('string');
  if (field !== undefined) expect(body.message as string).toContain(field);
}

/** The dump's peer with `publicKey`, via the agent API (asserts a 200). */
export async function apiPeer(client: AgentClient, iface: string, publicKey: string) {
  const res = await client.dump(iface);
  expect(res.status, res.text).toBe(200);
  return res.body.peers.find((p) => p.public_key === publicKey);
}

/**
 * Upper bound of what WireGuard counts for `bytes` of UDP payload in `datagrams` packets,
 * plus `slack` for handshakes (148 + 92 bytes), keepalives (32) and the probes of the test.
 */
export const rxCeiling = (
  sent: { bytes: number; datagrams: number },
  perPacket: number,
  slack = 4096,
) => sent.bytes + sent.datagrams * perPacket + slack;
