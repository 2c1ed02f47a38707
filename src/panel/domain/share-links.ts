/**
 * WGDashboard 4.3's peer share links (PeerShareLinks): a random id that opens one peer's client
 * config without sign-in, until its expiry date. Pure: times are passed in.
 */
import { wgdDate } from './peer-jobs.js';

/** A share link as stored. `expireDate` null = never. */
export interface ShareLink {
  readonly shareId: string;
  readonly peerId: number;
  readonly expireDate: Date | null;
  readonly sharedDate: Date;
}

/** A share link as 4.3 answers it (PeerShareLink.toJson), dates `YYYY-MM-DD HH:MM:SS` (UTC). */
export interface ShareLinkJson {
  readonly ShareID: string;
  readonly Peer: string;
  readonly Configuration: string;
  readonly ExpireDate: string;
  readonly SharedDate: string;
}

/** 4.3 shows a link without expiry as expiring on this day. */
export const NEVER_EXPIRES = '2199-12-31 00:00:00';

/** A link opens its peer's config while its date is unset or still ahead (4.3: `> now`). */
export const isLinkActive = (link: Pick<ShareLink, 'expireDate'>, now: Date): boolean =>
  link.expireDate === null || link.expireDate.getTime() > now.getTime();

/** A share id as 4.3 makes them (`uuid4`, lowercase); anything else is never looked up. */
export const isShareIdShaped = (id: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id);

/** The link in 4.3's shape. */
export function shareLinkJson(
  link: ShareLink,
  peer: { readonly publicKey: string; readonly configuration: string },
): ShareLinkJson {
  return {
    ShareID: link.shareId,
    Peer: peer.publicKey,
    Configuration: peer.configuration,
    ExpireDate: link.expireDate === null ? NEVER_EXPIRES : wgdDate(link.expireDate),
    SharedDate: wgdDate(link.sharedDate),
  };
}
