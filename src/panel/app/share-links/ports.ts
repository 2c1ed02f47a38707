import type { ShareLink } from '../../domain/share-links.js';

/** A link with the peer it opens. */
export interface ShareLinkOfPeer extends ShareLink {
  readonly publicKey: string;
  readonly configuration: string;
}

/** Where share links are kept (peer_share_links). Share ids are secrets: never logged. */
export interface ShareLinkStore {
  /**
   * The peer's active link (`expire_date` unset or after `now`) if it has one, else `link`
   * stored; one transaction, the peer's row locked, so two requests never make two.
   */
  createUnlessActive(link: ShareLink, now: Date): Promise<{ created: boolean; link: ShareLink }>;
  /** The link with this id, active or not, with its peer; null when there is none. */
  byId(shareId: string): Promise<ShareLinkOfPeer | null>;
  setExpireDate(shareId: string, expireDate: Date | null): Promise<void>;
  /** Active links of a configuration's peers, by public key (the peer JSON's `ShareLink`). */
  activeOfConfiguration(
    configurationId: number,
    now: Date,
  ): Promise<Map<string, readonly ShareLinkOfPeer[]>>;
}
