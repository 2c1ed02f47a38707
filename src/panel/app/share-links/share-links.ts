import {
  isLinkActive,
  isShareIdShaped,
  shareLinkJson,
  type ShareLinkJson,
} from '../../domain/share-links.js';
import { parseUtcDate } from '../../../shared/utc-date.js';
import { invalidInput, notFound, PanelError } from '../errors.js';
import { clientConfigOf, type ClientConfigFile } from '../peers/client-configs.js';
import { findConfiguration } from '../peers/find-configuration.js';
import type { PeerStore } from '../peers/ports.js';
import { peerKey } from '../peers/update-peer.js';
import type { ShareLinkOfPeer, ShareLinkStore } from './ports.js';

export interface ShareLinkDeps {
  readonly links: ShareLinkStore;
  /** The peers (their configs are what a link opens). */
  readonly peers: PeerStore;
  readonly now: () => Date;
  /** A new share id: a random uuid (4.3's `uuid4`). */
  readonly newId: () => string;
}

/** 4.3's messages, with the field they are about (never the share id itself). */
const GONE = new PanelError(
  'not_found',
  'This link is either expired to invalid',
  'ShareID',
  'ShareID',
);
const UNKNOWN = new PanelError('not_found', 'ShareID does not exist', 'ShareID', 'ShareID');

/** `YYYY-MM-DD HH:MM:SS` (UTC; ISO 8601 too), or null/absent/"" = never. */
function expireDateOf(value: string | null | undefined): Date | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const date = parseUtcDate(value);
  if (!date)
    throw invalidInput('ExpireDate', `"${value}" is not a date (YYYY-MM-DD HH:MM:SS, UTC)`);
  return date;
}

const json = (l: ShareLinkOfPeer): ShareLinkJson => shareLinkJson(l, l);

/** The active link behind an id, or null (unknown, expired, malformed: the same answer). */
async function activeLink(deps: ShareLinkDeps, shareId: string): Promise<ShareLinkOfPeer | null> {
  if (!isShareIdShaped(shareId)) return null;
  const link = await deps.links.byId(shareId);
  return link && isLinkActive(link, deps.now()) ? link : null;
}

/**
 * WGDashboard 4.3's sharePeer/create: a new link for the peer, or the one it already shares
 * (`created: false`; 4.3 answers it with "This peer is already sharing…").
 */
export async function createShareLink(
  deps: ShareLinkDeps,
  body: { Configuration: string; Peer: string; ExpireDate?: string | null },
): Promise<{ created: boolean; link: ShareLinkJson }> {
  const expireDate = expireDateOf(body.ExpireDate);
  const now = deps.now();
  if (expireDate && expireDate.getTime() <= now.getTime())
    throw invalidInput('ExpireDate', 'is not in the future');
  const configuration = await findConfiguration(deps.peers, body.Configuration);
  const key = peerKey('Peer', body.Peer);
  const peer = await deps.peers.peerByKey(configuration.id, key);
  if (!peer) throw notFound('peer', key);
  const r = await deps.links.createUnlessActive(
    { shareId: deps.newId(), peerId: peer.id, expireDate, sharedDate: now },
    now,
  );
  return {
    created: r.created,
    link: shareLinkJson(r.link, { publicKey: peer.public_key, configuration: configuration.name }),
  };
}

/**
 * WGDashboard 4.3's sharePeer/update: a new expiry date for an active link (a date now or past
 * ends the sharing, as 4.3's "stop sharing" does). Answers the link while it is still active, as
 * 4.3 does: `[]` once it ended.
 */
export async function updateShareLink(
  deps: ShareLinkDeps,
  body: { ShareID: string; ExpireDate?: string | null },
): Promise<ShareLinkJson[]> {
  const expireDate = expireDateOf(body.ExpireDate);
  const link = await activeLink(deps, body.ShareID);
  if (!link) throw UNKNOWN;
  await deps.links.setExpireDate(link.shareId, expireDate);
  const after = await activeLink(deps, link.shareId);
  return after ? [json(after)] : [];
}

/**
 * WGDashboard 4.3's sharePeer/get, without sign-in: the peer's config as downloadPeer answers it
 * (409 when the panel holds no private key; `withoutKey`: a comment line in its place, for the
 * page), and the link's expiry.
 */
export async function sharedConfig(
  deps: ShareLinkDeps,
  shareId: string,
  withoutKey = false,
): Promise<{ config: ClientConfigFile; expireDate: Date | null }> {
  const link = await activeLink(deps, shareId);
  if (!link) throw GONE;
  const configuration = await deps.peers.findConfiguration(link.configuration);
  const peer = configuration && (await deps.peers.peerByKey(configuration.id, link.publicKey));
  if (!configuration || !peer)
    throw new PanelError('not_found', "The peer you're looking for does not exist", 'ShareID');
  return { config: clientConfigOf(configuration, peer, withoutKey), expireDate: link.expireDate };
}

/** Active links of a configuration's peers in 4.3's shape, by public key (peer JSON). */
export async function shareLinksOf(
  deps: Pick<ShareLinkDeps, 'links' | 'now'>,
  configurationId: number,
): Promise<Map<string, ShareLinkJson[]>> {
  const byKey = await deps.links.activeOfConfiguration(configurationId, deps.now());
  return new Map([...byKey].map(([k, links]) => [k, links.map(json)]));
}
