import { interfaceFileName } from '../../domain/client-config.js';
import { nextBoundary } from '../../domain/policy/reset-schedule.js';
import { clientConfigText } from '../peers/client-configs.js';
import type { SubscriberPeer, SubscriberReader, SubscriberWithUsage } from './ports.js';
import { isTokenShaped, sameTokenHash, tokenHash } from './subscriber-token.js';

/** One peer as its subscriber's page shows it. */
export interface PagePeer {
  readonly id: number;
  readonly configuration: string;
  readonly node: string;
  readonly usageRx: bigint;
  readonly usageTx: bigint;
  /** `NAME.conf`, NAME a valid interface name (≤ 15 characters), unique on the page. */
  readonly fileName: string;
  /** The wg-quick file (with a placeholder when the panel never held the private key). */
  readonly file: string;
}

export interface SubscriberPageView {
  readonly subscriber: SubscriberWithUsage;
  readonly peers: readonly PagePeer[];
  readonly nextResetAt: Date | null;
}

/** What the page is read from. */
export interface SubscriberPageDeps {
  readonly store: Pick<SubscriberReader, 'byTokenHash' | 'peers'>;
  readonly now: () => Date;
  /** The panel's time zone (reset boundaries). */
  readonly timezone: () => Promise<string>;
}

/** The client config of one peer of a page (placeholder for a key the panel never held). */
export function pageConfigOf(p: SubscriberPeer): string {
  return clientConfigText(p.configuration, p.peer);
}

/** File names per peer: the node's name, made unique with a number (still ≤ 15 characters). */
function fileNames(peers: readonly SubscriberPeer[]): string[] {
  const used = new Set<string>();
  return peers.map((p, i) => {
    const base = interfaceFileName(p.configuration.node.name, p.configuration.name).replace(
      /\.conf$/,
      '',
    );
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base.slice(0, 15 - String(n).length - 1)}-${n}`;
    if (used.has(name)) name = `wg${i}`;
    used.add(name);
    return `${name}.conf`;
  });
}

/**
 * The subscriber behind a page token, or null (unknown, rotated, or not a token at all; the
 * caller answers the same 404 for each). Found by the token's hash, compared in constant time.
 */
export async function subscriberPage(
  deps: SubscriberPageDeps,
  token: string,
): Promise<SubscriberPageView | null> {
  if (!isTokenShaped(token)) return null;
  const hash = tokenHash(token);
  const s = await deps.store.byTokenHash(hash);
  if (!s || !sameTokenHash(hash, s.token_hash)) return null;
  const subscriber: SubscriberWithUsage = { ...s };
  delete (subscriber as Partial<typeof s>).token_hash;
  const peers = await deps.store.peers(s.id);
  const names = fileNames(peers);
  const next = nextBoundary(
    subscriber.reset_schedule,
    subscriber.reset_anchor,
    deps.now(),
    await deps.timezone(),
  );
  return {
    subscriber,
    nextResetAt: next,
    peers: peers.map((p, i) => ({
      id: p.peer.id,
      configuration: p.configuration.name,
      node: p.configuration.node.name,
      usageRx: p.usageRx,
      usageTx: p.usageTx,
      fileName: names[i] as string,
      file: pageConfigOf(p),
    })),
  };
}
