import { reactive, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import {
  SUBSCRIBER_SORT_KEYS,
  SUBSCRIBER_STATUSES,
  type SubscriberSortKey,
  type SubscriberStatus,
} from '../api/types';
import { PAGE_SIZES } from './peer-query';

const DEFAULT_SIZE = 50;

/** What the subscribers page asks the panel for: one page of one search, sort and filter. */
export interface SubscriberQuery {
  search: string;
  status: SubscriberStatus | 'all';
  sort: SubscriberSortKey;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const positive = (v: unknown, d: number) => {
  const n = Number.parseInt(str(v), 10);
  return Number.isFinite(n) && n > 0 ? n : d;
};
const oneOf = <T extends string>(list: readonly T[], v: string, d: T): T =>
  (list as readonly string[]).includes(v) ? (v as T) : d;

/** Reads a query from the URL's query string; anything unknown falls back to the default. */
export function subscriberQueryFromUrl(u: Record<string, unknown>): SubscriberQuery {
  const size = positive(u.size, DEFAULT_SIZE);
  return {
    search: str(u.q),
    status: oneOf([...SUBSCRIBER_STATUSES, 'all'], str(u.status), 'all'),
    sort: oneOf(SUBSCRIBER_SORT_KEYS, str(u.sort), 'name'),
    order: u.order === 'desc' ? 'desc' : 'asc',
    page: positive(u.page, 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
  };
}

/** The URL query string of a query, defaults left out. */
export function subscriberQueryToUrl(v: SubscriberQuery): Record<string, string> {
  const out: Record<string, string> = {};
  if (v.search.trim()) out.q = v.search.trim();
  if (v.status !== 'all') out.status = v.status;
  if (v.sort !== 'name') out.sort = v.sort;
  if (v.order !== 'asc') out.order = v.order;
  if (v.page !== 1) out.page = String(v.page);
  if (v.pageSize !== DEFAULT_SIZE) out.size = String(v.pageSize);
  return out;
}

/** The subscribers page's query, kept in the URL: reload, back and a shared link agree. */
export function useSubscriberQuery(): SubscriberQuery {
  const route = useRoute();
  const router = useRouter();
  const q = reactive(subscriberQueryFromUrl(route.query));
  watch(
    () => ({ ...q }),
    (v) => void router.replace({ query: subscriberQueryToUrl(v) }),
  );
  return q;
}
