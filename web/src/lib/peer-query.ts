import { reactive, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { PEER_SORT_KEYS, type PeerSortKey, type PeerStatusFilter } from '../api/types';

export const PAGE_SIZES = [25, 50, 100, 250] as const;
const DEFAULT_SIZE = 50;

/** What the peers page asks the panel for: one page of one search, sort and filter. */
export interface PeerQuery {
  search: string;
  status: PeerStatusFilter;
  sort: PeerSortKey;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
  /** Only this subscriber's peers; null: every peer. */
  subscriber: number | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const positive = (v: unknown, d: number) => {
  const n = Number.parseInt(str(v), 10);
  return Number.isFinite(n) && n > 0 ? n : d;
};

/** Reads a query from the URL's query string; anything unknown falls back to the default. */
export function queryFromUrl(u: Record<string, unknown>): PeerQuery {
  const status = str(u.status);
  const sort = str(u.sort);
  const size = positive(u.size, DEFAULT_SIZE);
  return {
    search: str(u.q),
    status: status === 'active' || status === 'restricted' ? status : 'all',
    sort: (PEER_SORT_KEYS as readonly string[]).includes(sort) ? (sort as PeerSortKey) : 'name',
    order: u.order === 'desc' ? 'desc' : 'asc',
    page: positive(u.page, 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
    subscriber: u.subscriber === undefined ? null : positive(u.subscriber, 0) || null,
  };
}

/** The URL query string of a query, defaults left out. */
export function queryToUrl(v: PeerQuery): Record<string, string> {
  const out: Record<string, string> = {};
  if (v.search.trim()) out.q = v.search.trim();
  if (v.status !== 'all') out.status = v.status;
  if (v.sort !== 'name') out.sort = v.sort;
  if (v.order !== 'asc') out.order = v.order;
  if (v.page !== 1) out.page = String(v.page);
  if (v.pageSize !== DEFAULT_SIZE) out.size = String(v.pageSize);
  if (v.subscriber !== null) out.subscriber = String(v.subscriber);
  return out;
}

/** The peers page's query, kept in the URL: reload, back and a shared link show the same page. */
export function usePeerQuery(): PeerQuery {
  const route = useRoute();
  const router = useRouter();
  const q = reactive(queryFromUrl(route.query));
  watch(
    () => ({ ...q }),
    (v) => void router.replace({ query: queryToUrl(v) }),
  );
  return q;
}
