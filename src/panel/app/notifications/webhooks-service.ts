import {
  NOTIFICATION_ACTIONS,
  WEBHOOK_CONTENT_TYPES,
  WGDASHBOARD_WEBHOOK_ACTIONS,
  type WebhookContentType,
} from '../../domain/vocabulary.js';
import { invalidInput, notFound } from '../errors.js';
import { webhookBody } from './fan-out.js';
import type { Notification } from './notification.js';
import type { DeliverySession, WebhookRecord, WebhookStore } from './ports.js';

/** What updateWebHook takes: WGDashboard 4.3's fields, and our write-only `Secret`. */
export interface WebhookInput {
  readonly WebHookID: string;
  readonly PayloadURL?: string;
  readonly ContentType?: string;
  readonly Headers?: Readonly<Record<string, { readonly key: string; readonly value: string }>>;
  readonly VerifySSL?: boolean;
  readonly SubscribedActions?: readonly string[];
  readonly IsActive?: boolean;
  readonly Notes?: string;
  /** A string sets it, "" or null clears it, absent keeps it. */
  readonly Secret?: string | null;
}

export interface WebhooksServiceDeps {
  readonly store: WebhookStore;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The deliverer looks at the outbox now. */
  readonly nudge: () => void;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const UUID = /^[0-9a-fA-F-]{1,64}$/;

function payloadUrl(url: string): string {
  if (url.trim().length === 0) throw invalidInput('PayloadURL', 'Payload URL cannot be empty');
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw invalidInput('PayloadURL', `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalidInput('PayloadURL', 'must be an http or https URL');
  if (url.length > 2000) throw invalidInput('PayloadURL', 'is longer than 2000 characters');
  return url.trim();
}

function headers(h: NonNullable<WebhookInput['Headers']>): WebhookRecord['headers'] {
  const out: Record<string, { key: string; value: string }> = {};
  const entries = Object.entries(h);
  if (entries.length > 50) throw invalidInput('Headers', 'at most 50 headers');
  for (const [slot, { key, value }] of entries) {
    // 4.3's editor leaves empty rows: skipped.
    if (key.trim() === '' && value.trim() === '') continue;
    if (!TOKEN.test(key.trim()))
      throw invalidInput(`Headers.${slot}.key`, `"${key}" is not a header name`);
    if (/[\r\n\0]/.test(value) || value.length > 4000)
      throw invalidInput(`Headers.${slot}.value`, 'must be one line of at most 4000 characters');
    out[slot] = { key: key.trim(), value };
  }
  return out;
}

function actions(list: readonly string[]): string[] {
  const known = NOTIFICATION_ACTIONS as readonly string[];
  list.forEach((a, i) => {
    if (!known.includes(a))
      throw invalidInput(
        `SubscribedActions.${i}`,
        `"${a}" is not one of ${NOTIFICATION_ACTIONS.join(', ')}`,
      );
  });
  return [...new Set(list)];
}

/** WGDashboard 4.3's webhooks: a template, create or update by id, delete, sessions, a test. */
export class WebhooksService {
  constructor(private readonly deps: WebhooksServiceDeps) {}

  list(): Promise<WebhookRecord[]> {
    return this.deps.store.list();
  }

  /** A new webhook as 4.3's createWebHook answers it: a fresh id, nothing stored. */
  template(): Omit<WebhookRecord, 'secret' | 'createdAt'> {
    return {
      id: this.deps.newId(),
      payloadUrl: '',
      contentType: 'application/json',
      headers: {},
      verifySsl: true,
      subscribedActions: [...WGDASHBOARD_WEBHOOK_ACTIONS],
      isActive: true,
      notes: '',
    };
  }

  /** Creates or updates by `WebHookID`; every field checked before anything is written. */
  async save(input: WebhookInput): Promise<'created' | 'updated'> {
    if (!UUID.test(input.WebHookID))
      throw invalidInput('WebHookID', 'must be the id createWebHook gave');
    const current = await this.deps.store.get(input.WebHookID);
    const base = current ?? { ...this.template(), id: input.WebHookID };
    const contentType = input.ContentType ?? base.contentType;
    if (!(WEBHOOK_CONTENT_TYPES as readonly string[]).includes(contentType))
      throw invalidInput('ContentType', 'Content Type is invalid');
    if (input.PayloadURL === undefined && !current)
      throw invalidInput('PayloadURL', 'Payload URL cannot be empty');
    const secret =
      input.Secret === undefined
        ? undefined
        : input.Secret === null || input.Secret === ''
          ? null
          : input.Secret;
    if (secret !== undefined && secret !== null && (secret.length < 8 || secret.length > 256))
      throw invalidInput('Secret', 'must be 8 to 256 characters');
    if (input.Notes !== undefined && input.Notes.length > 10_000)
      throw invalidInput('Notes', 'is longer than 10000 characters');
    return this.deps.store.save(
      {
        id: input.WebHookID,
        payloadUrl: input.PayloadURL === undefined ? base.payloadUrl : payloadUrl(input.PayloadURL),
        contentType: contentType as WebhookContentType,
        headers: input.Headers ? headers(input.Headers) : base.headers,
        verifySsl: input.VerifySSL ?? base.verifySsl,
        subscribedActions: input.SubscribedActions
          ? actions(input.SubscribedActions)
          : base.subscribedActions,
        isActive: input.IsActive ?? base.isActive,
        notes: input.Notes ?? base.notes,
        ...(secret !== undefined && { secret }),
      },
      this.deps.now(),
    );
  }

  async delete(id: string): Promise<void> {
    if (!(await this.deps.store.delete(id))) throw notFound('webhook', id);
  }

  async sessions(id: string, limit: number): Promise<DeliverySession[]> {
    if (!(await this.deps.store.get(id))) throw notFound('webhook', id);
    return this.deps.store.sessions({ webhookId: id }, limit);
  }

  /** Writes a `webhook_test` delivery to this webhook (whatever it subscribes to). */
  async sendTest(id: string): Promise<string> {
    const w = await this.deps.store.get(id);
    if (!w) throw notFound('webhook', id);
    const at = this.deps.now();
    const sessionId = this.deps.newId();
    const n: Notification = {
      eventId: this.deps.newId(),
      action: 'webhook_test',
      at,
      data: { message: 'A test event from wgfleet', configuration: null, node: null },
      peerId: null,
      facts: {
        peerName: null,
        configuration: null,
        node: null,
        usageBytes: null,
        limitBytes: null,
        percent: null,
        daysLeft: null,
        expiryDate: null,
        reason: null,
        message: 'A test event from wgfleet',
      },
    };
    await this.deps.store.enqueue([
      {
        id: sessionId,
        eventId: n.eventId,
        action: n.action,
        channel: 'webhook',
        target: `webhook:${w.id}`,
        webhookId: w.id,
        payload: webhookBody(n, w.id, sessionId),
        createdAt: at,
      },
    ]);
    this.deps.nudge();
    return sessionId;
  }
}
