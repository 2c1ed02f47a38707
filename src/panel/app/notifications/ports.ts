import type { JsonValue } from '../../domain/notifications/webhook-request.js';
import type { DeliveryChannel, WebhookContentType } from '../../domain/vocabulary.js';
import type { Contact, NewDelivery } from './notification.js';
import type {
  NotificationSettings,
  SmtpSettings,
  TelegramSettings,
} from './notification-settings.js';

/** A delivery the deliverer holds (leased) while it tries it once. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly action: string;
  readonly channel: DeliveryChannel;
  readonly target: string;
  readonly webhookId: string | null;
  readonly payload: Readonly<Record<string, JsonValue>>;
  /** Attempts made before this one. */
  readonly attempts: number;
  readonly createdAt: Date;
}

/** One attempt's line in the delivery's log. */
export interface AttemptRecord {
  readonly at: Date;
  readonly ok: boolean;
  readonly message: string;
}

/** What becomes of a delivery after an attempt. */
export type NextState =
  | { readonly status: 'delivered' | 'failed'; readonly finishedAt: Date }
  | { readonly status: 'pending'; readonly nextAttemptAt: Date };

/**
 * The outbox, as the deliverer sees it. A claim leases due rows to one owner (a panel instance)
 * until `leaseUntil`; on PostgreSQL and MySQL/MariaDB the claim skips rows another panel holds
 * locked (`FOR UPDATE SKIP LOCKED`), on SQLite the immediate transaction is the one writer.
 */
export interface DeliveryQueue {
  /** Frees the leases an earlier run of this same instance left (it is not sending them). */
  releaseLeases(owner: string): Promise<number>;
  /** Leases up to `limit` pending rows due at `now` (oldest due first). */
  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]>;
  /**
   * Stores an attempt's line and the delivery's next state, if `owner` still holds the lease;
   * false when it lost it (another panel took the row after the lease ran out).
   */
  finishAttempt(
    owner: string,
    id: string,
    attempt: AttemptRecord,
    next: NextState,
  ): Promise<boolean>;
}

/** Tries one delivery of its channel once. Never throws: a failure is an outcome. */
export interface DeliverySender {
  send(delivery: ClaimedDelivery): Promise<AttemptOutcome>;
}

/** How an attempt went, and the line the delivery's log keeps (no secret in it). */
export interface AttemptOutcome {
  readonly ok: boolean;
  readonly message: string;
}

/** A webhook as stored: WGDashboard 4.3's fields and the secret (null = none). */
export interface WebhookRecord {
  readonly id: string;
  readonly payloadUrl: string;
  readonly contentType: WebhookContentType;
  readonly headers: Readonly<Record<string, { readonly key: string; readonly value: string }>>;
  readonly verifySsl: boolean;
  readonly subscribedActions: readonly string[];
  readonly isActive: boolean;
  readonly notes: string;
  /** SECRET: the signing key. */
  readonly secret: string | null;
  readonly createdAt: Date;
}

/** A delivery with its attempts, as getWebHookSessions lists it. */
export interface DeliverySession {
  readonly id: string;
  readonly eventId: string;
  readonly action: string;
  readonly channel: DeliveryChannel;
  readonly target: string;
  readonly webhookId: string | null;
  readonly payload: Readonly<Record<string, JsonValue>>;
  readonly status: -1 | 0 | 1;
  readonly attempts: readonly AttemptRecord[];
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  readonly nextAttemptAt: Date | null;
}

/** Webhooks and their deliveries. */
export interface WebhookStore {
  list(): Promise<WebhookRecord[]>;
  get(id: string): Promise<WebhookRecord | null>;
  /** Inserts or replaces by id; `secret` undefined keeps the stored one. */
  save(
    webhook: Omit<WebhookRecord, 'secret' | 'createdAt'> & { secret?: string | null },
    now: Date,
  ): Promise<'created' | 'updated'>;
  /** Deletes the webhook and its deliveries; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Newest first. */
  sessions(
    filter: { webhookId?: string; channel?: DeliveryChannel },
    limit: number,
  ): Promise<DeliverySession[]>;
  /** Writes deliveries made outside an event's transaction (a test event). */
  enqueue(deliveries: readonly NewDelivery[]): Promise<void>;
}

/** Where the notification settings are kept (secrets under keys of their own). */
export interface NotificationSettingsStore {
  read(): Promise<NotificationSettings>;
  write(settings: NotificationSettings, now: Date): Promise<void>;
}

/**
 * Finds, inside an event's transaction `tx`, the contacts of the subscribers owning these peers.
 * The subscribers' area (issue 11) implements it over its tables; until then nobody is found.
 */
export interface RecipientResolver<Tx> {
  contactsOf(tx: Tx, peerIds: readonly number[]): Promise<ReadonlyMap<number, readonly Contact[]>>;
}

/** An e-mail to send now. */
export interface OutgoingMail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments?: readonly { readonly filename: string; readonly content: string }[];
}

/** SMTP, as the channel senders use it (nodemailer in production). */
export interface MailTransport {
  send(smtp: SmtpSettings, mail: OutgoingMail): Promise<AttemptOutcome>;
}

/** The Telegram Bot API's sendMessage. */
export interface TelegramApi {
  sendMessage(telegram: TelegramSettings, chatId: string, text: string): Promise<AttemptOutcome>;
}

/** One HTTP POST of a webhook's body, with a timeout; never follows redirects. */
export interface WebhookClient {
  post(request: {
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly verifyTls: boolean;
  }): Promise<AttemptOutcome>;
}
