import { createAuditLogStore } from '../adapters/db/repos/audit-log-store.js';
import { createAuditSnapshots } from '../adapters/db/repos/audit-snapshots.js';
import type { AuditLog } from '../app/audit/audit-entry.js';
import type { AuditSnapshots } from '../app/audit/snapshots.js';
import type { PanelContext } from '../context.js';
import { auditRoutes } from '../http/routes/audit-routes.js';
import type { PanelArea } from './area.js';

export interface AuditArea extends PanelArea {
  /** Where the HTTP layer's recorder writes (compose.ts hands both to buildPanelApp). */
  readonly log: AuditLog;
  readonly snapshots: AuditSnapshots;
}

/** The audit log: its store, the state readers the recorder uses, and the routes that read it. */
export function createAuditArea(ctx: PanelContext): AuditArea {
  const log = createAuditLogStore(ctx.database);
  return {
    log,
    snapshots: createAuditSnapshots(ctx.database),
    routes: [auditRoutes({ log, now: ctx.now })],
  };
}
