import type { Generated, Insertable, Selectable } from 'kysely';
import type { AuditOutcome } from '../../../domain/vocabulary.js';

/**
 * `audit_log` (migration 0017): who changed what, when, from where, with the fields before and
 * after. `target`, `before_state` and `after_state` are JSON text (the same on every dialect).
 */
export interface AuditLogTable {
  id: Generated<number>;
  at: Date;
  username: string | null;
  api_key_name: string | null;
  address: string | null;
  action: string;
  target_kind: string | null;
  target: string | null;
  before_state: string | null;
  after_state: string | null;
  outcome: AuditOutcome;
  status_code: number;
  message: string | null;
}

export type AuditLogRow = Selectable<AuditLogTable>;
export type AuditLogInsert = Insertable<AuditLogTable>;
