import type { AuditOutcome, AuditTargetKind } from '../../domain/vocabulary.js';

/** Who asked: a signed-in user, an API key (by its name), or, for a failed sign-in, the name tried. */
export interface AuditActor {
  readonly username: string | null;
  readonly apiKeyName: string | null;
}

/** What an entry is about: its kind, and the ids and names that say which (JSON values). */
export interface AuditTarget {
  readonly kind: AuditTargetKind;
  readonly ids: Readonly<Record<string, unknown>>;
}

/** A JSON object of a target's fields (secrets already taken out). */
export type AuditState = Readonly<Record<string, unknown>>;

/** One entry to record. */
export interface NewAuditEntry {
  readonly at: Date;
  readonly actor: AuditActor;
  /** The client's address (the proxy's X-Forwarded-For when it is trusted). */
  readonly address: string | null;
  /** The API action (`updatePeerSettings`, `authenticate`, …). */
  readonly action: string;
  readonly target: AuditTarget | null;
  readonly before: AuditState | null;
  readonly after: AuditState | null;
  readonly outcome: AuditOutcome;
  /** The HTTP status of the answer. */
  readonly statusCode: number;
  /** The answer's message when it failed (messages never carry a secret). */
  readonly message: string | null;
}

/** An entry as read back. */
export interface StoredAuditEntry extends NewAuditEntry {
  readonly id: number;
}

/** Filters of getAuditLog and exportAuditCsv; all optional, combined with AND. Newest first. */
export interface AuditFilter {
  /** The user name (or the API key's name) exactly. */
  readonly user?: string;
  /** Only the entries this user made (by hand or by one of its keys): a reseller's own. */
  readonly actorUsername?: string;
  readonly action?: string;
  /** at ≥ from. */
  readonly from?: Date;
  /** at < to. */
  readonly to?: Date;
  readonly limit: number;
  readonly offset: number;
}

/** Where entries are kept (adapters/db/repos/audit-log-store.ts). */
export interface AuditLog {
  record(entry: NewAuditEntry): Promise<void>;
  find(filter: AuditFilter): Promise<{ entries: StoredAuditEntry[]; total: number }>;
}
