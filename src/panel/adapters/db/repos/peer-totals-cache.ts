import type { PeerTotals } from '../../../app/peers/ports.js';

/**
 * How far apart two requests' "connected since" instants may be for one answer to serve both: a
 * peer counts as connected for 180 s after its handshake, so the count may lag by this much.
 */
export const CONNECTED_SINCE_SLACK_MS = 1_000;
/** Configurations remembered at most (each entry is a few numbers). */
const MAX_ENTRIES = 1_000;

interface Entry {
  readonly token: string;
  readonly since: number;
  readonly totals: PeerTotals;
}

/**
 * A configuration's totals (counts and usage sums of all its peers: a scan of every one of them)
 * kept while the database has not changed, so that paging through a big configuration, or a UI
 * refreshing its page, does not scan it again for each page. `changeToken` says whether anything
 * was written since (see SqlDialect.changeToken); null there means nothing is kept.
 */
export function cachedPeerTotals(
  changeToken: () => Promise<string | null>,
  read: (configurationId: number, connectedSince: Date) => Promise<PeerTotals>,
): (configurationId: number, connectedSince: Date) => Promise<PeerTotals> {
  const entries = new Map<number, Entry>();
  return async (configurationId, connectedSince) => {
    // Read before the totals: a write in between leaves an older token with newer totals, which
    // the next call reads again (never the other way round).
    const token = await changeToken();
    if (token === null) return read(configurationId, connectedSince);
    const since = connectedSince.getTime();
    const kept = entries.get(configurationId);
    if (kept && kept.token === token && Math.abs(kept.since - since) <= CONNECTED_SINCE_SLACK_MS)
      return kept.totals;
    const totals = await read(configurationId, connectedSince);
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(configurationId, { token, since, totals });
    return totals;
  };
}
