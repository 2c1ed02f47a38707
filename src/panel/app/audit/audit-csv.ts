import { toCsv } from '../usage/usage-csv.js';
import type { StoredAuditEntry } from './audit-entry.js';

export const AUDIT_CSV_HEADER = [
  'id',
  'at',
  'username',
  'api_key_name',
  'address',
  'action',
  'target_kind',
  'target',
  'before',
  'after',
  'outcome',
  'status_code',
  'message',
] as const;

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/** The entries as CSV (RFC 4180, CRLF; fields that would start a spreadsheet formula defused). */
export function auditCsv(entries: readonly StoredAuditEntry[]): string {
  return toCsv(
    AUDIT_CSV_HEADER,
    entries.map((e) => [
      e.id,
      e.at.toISOString(),
      e.actor.username,
      e.actor.apiKeyName,
      e.address,
      e.action,
      e.target?.kind ?? null,
      json(e.target?.ids ?? null),
      json(e.before),
      json(e.after),
      e.outcome,
      e.statusCode,
      e.message,
    ]),
  );
}
