import type { AgentClients } from '../../context.js';
import { AgentClient } from './agent-client.js';

/** One `AgentClient` per node, recreated when the node's URL, token or fingerprint change. */
export function createAgentClients(timeoutMs = 10_000): AgentClients {
  const clients = new Map<number, { key: string; client: AgentClient }>();
  return {
    forNode(node) {
      const key = `${node.url}\n${node.token}\n${node.fingerprint}`;
      const cached = clients.get(node.id);
      if (cached?.key === key) return cached.client;
      if (cached) void cached.client.close();
      const client = new AgentClient(
        { url: node.url, token: node.token, fingerprint: node.fingerprint },
        timeoutMs,
      );
      clients.set(node.id, { key, client });
      return client;
    },
    async forget(nodeId) {
      const cached = clients.get(nodeId);
      clients.delete(nodeId);
      await cached?.client.close();
    },
    async closeAll() {
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(all.map((c) => c.client.close()));
    },
  };
}
