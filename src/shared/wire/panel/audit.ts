import { Type, type Static } from 'typebox';
import { AUDIT_OUTCOMES, AUDIT_TARGET_KINDS } from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { Nullable } from './common.js';

/** Filters of getAuditLog and exportAuditCsv. */
const AuditFilters = {
  user: Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: 'a user name or an API key name' }),
  ),
  action: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'an API action, e.g. updatePeerSettings',
    }),
  ),
  from: Type.Optional(Type.String({ description: 'ISO 8601, inclusive' })),
  to: Type.Optional(Type.String({ description: 'ISO 8601, exclusive' })),
};

export const AuditLogQuery = Type.Object({
  ...AuditFilters,
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
export type AuditLogQuery = Static<typeof AuditLogQuery>;

export const AuditCsvQuery = Type.Object(AuditFilters);
export type AuditCsvQuery = Static<typeof AuditCsvQuery>;

const State = Nullable(Type.Record(Type.String(), Type.Unknown()));

export const AuditEntryJson = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'ISO 8601 UTC' }),
  username: Nullable(Type.String()),
  api_key_name: Nullable(Type.String()),
  address: Nullable(Type.String()),
  action: Type.String(),
  target_kind: Nullable(literalUnion(AUDIT_TARGET_KINDS)),
  target: State,
  before: State,
  after: State,
  outcome: literalUnion(AUDIT_OUTCOMES),
  status_code: Type.Integer(),
  message: Nullable(Type.String()),
});
export type AuditEntryJson = Static<typeof AuditEntryJson>;

export const AuditLogJson = Type.Object({
  entries: Type.Array(AuditEntryJson),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type AuditLogJson = Static<typeof AuditLogJson>;
