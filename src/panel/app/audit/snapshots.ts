import type { AuditState } from './audit-entry.js';

/**
 * Which stored state an audit rule reads before and after a change (adapters/db/repos/
 * audit-snapshots.ts reads it, listing only fields that are not secrets).
 */
export type SnapshotRef =
  | {
      readonly kind: 'peers';
      readonly configuration: string;
      readonly publicKeys: readonly string[];
    }
  | { readonly kind: 'configuration'; readonly name: string }
  | { readonly kind: 'node'; readonly id?: number; readonly name?: string }
  | { readonly kind: 'subscribers'; readonly ids: readonly number[] }
  | { readonly kind: 'webhook'; readonly id: string }
  | { readonly kind: 'panel_settings' }
  | { readonly kind: 'notification_settings' }
  | { readonly kind: 'api_key'; readonly id: number }
  | { readonly kind: 'user'; readonly id: number };

/** Reads the state a SnapshotRef names; null when it does not exist. */
export interface AuditSnapshots {
  read(ref: SnapshotRef): Promise<AuditState | null>;
}
