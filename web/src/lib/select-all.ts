import { call } from '../api/client';
import type { PeerStatusFilter } from '../api/types';

/** The most peers one bulk request may name (the panel's limit). */
export const MAX_BULK = 10_000;
const PAGE = 1000;

/**
 * The public keys of every peer matching a search and status filter, read page by page (1000 a
 * page, at most MAX_BULK keys), for a bulk action on all of them.
 */
export async function allMatchingKeys(
  configurationName: string,
  search: string,
  status: PeerStatusFilter,
  subscriber: number | null = null,
): Promise<string[]> {
  const keys: string[] = [];
  for (let page = 1; page <= MAX_BULK / PAGE && keys.length < MAX_BULK; page++) {
    const r = await call('getWireguardConfigurationInfo', {
      query: {
        configurationName,
        search: search.trim() || undefined,
        status,
        subscriber: subscriber ?? undefined,
        page,
        pageSize: PAGE,
      },
    });
    for (const p of [...r.data.configurationPeers, ...r.data.configurationRestrictedPeers])
      keys.push(p.id);
    if (page >= r.data.paging.totalPages) break;
  }
  return keys.slice(0, MAX_BULK);
}
