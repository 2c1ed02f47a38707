/**
 * The network lab: real WireGuard (wireguard-go) in network namespaces on one machine, for the
 * agent's, the panel's and the UI's integration tests. See README.md beside this file.
 */
export { Lab, type LabOptions } from './lab.js';
export { LabNode, type ConnectTarget, type NodeInterfaceOptions } from './lab-node.js';
export { LabClient, type ConnectOptions } from './lab-client.js';
export {
  WgInterface,
  wgDump,
  wgRawDump,
  wgRemovePeer,
  wgSetPeer,
  type PeerConfig,
} from './wg-interface.js';
export { parseWgDump, type LabDump, type LabDumpPeer } from './wg-dump.js';
export {
  generateKeyPair,
  generatePresharedKey,
  keyBase64Url,
  keyInPath,
  type WgKeyPair,
} from './wg-keys.js';
export {
  ECHO_PORT,
  WG_PER_PACKET_OVERHEAD,
  probe,
  probeFromHost,
  sendUdp,
  settledCounter,
  startEcho,
  type EchoServer,
  type SentUdp,
} from './traffic.js';
export {
  CLI_COMMAND,
  CLI_ENTRY,
  SHIPPED_CLI_COMMAND,
  REPO_ROOT,
  AgentProcess,
  agentInit,
  cliEnv,
  healthStatus,
  runCli,
  startAgent,
} from './agent-process.js';
export {
  PanelProcess,
  PanelSession,
  freePort,
  type Envelope,
  type PanelRunOptions,
} from './panel-process.js';
export { AGENT_PORT, startNodeAgent, type NodeAgent, type NodeAgentOptions } from './node-agent.js';
export { AgentClient, seg, type AgentResponse } from './agent-client.js';
export { parseJoinString, normalizeFingerprint, type JoinInfo } from './join-string.js';
export { createWgWrappers, type WgWrappers } from './wg-wrappers.js';
export { exec, execIn, ip, sleep } from './exec.js';
export { measureTcp, type TcpResult, type TcpTransfer } from './throughput.js';
export { waitFor } from '../support/wait-for.js';
export { labSockets } from './sweep.js';
export { confValues, connectionOf } from './client-conf.js';
