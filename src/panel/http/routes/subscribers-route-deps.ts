import type { SubscribersDeps } from '../../app/subscribers/add-subscriber.js';
import type { PageRateLimit } from '../../app/subscribers/page-rate-limit.js';
import { FailureBody } from '../envelope.js';

/** What the subscribers routes are built from. */
export interface SubscribersRouteDeps extends SubscribersDeps {
  /** The panel's time zone (next reset). */
  readonly timezone: () => Promise<string>;
  /** Per-address limit on /sub/ lookups. */
  readonly pageRateLimit: PageRateLimit;
}

/** The failures every subscribers endpoint may answer. */
export const SUBSCRIBER_FAILURES = {
  400: FailureBody,
  401: FailureBody,
  404: FailureBody,
  409: FailureBody,
  413: FailureBody,
} as const;
