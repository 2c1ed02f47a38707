import type { AuditState } from '../../../app/audit/audit-entry.js';
import type { AuditSnapshots, SnapshotRef } from '../../../app/audit/snapshots.js';
import { PANEL_SETTING_KEYS } from '../../../app/settings/panel-settings.js';
import type { DatabaseHandle } from '../open-database.js';

/** At most this many peers or subscribers are snapshotted per entry (a bulk change lists the first). */
export const SNAPSHOT_ROWS = 200;

const n = (v: bigint | null) => (v === null ? null : Number(v));
const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const parse = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/**
 * Reads what an audit entry shows of a thing before and after a change: only columns that are
 * not secrets are ever selected (keys, tokens, hashes and webhook secrets are not read at all;
 * whether a peer has a private or preshared key is), and the recorder removes secret field
 * names again on top.
 */
export function createAuditSnapshots(handle: DatabaseHandle): AuditSnapshots {
  const db = handle.db;
  const read = async (ref: SnapshotRef): Promise<AuditState | null> => {
    switch (ref.kind) {
      case 'peers': {
        const keys = ref.publicKeys.slice(0, SNAPSHOT_ROWS);
        if (keys.length === 0) return null;
        const rows = await db
          .selectFrom('peers')
          .innerJoin('configurations', 'configurations.id', 'peers.configuration_id')
          .where('configurations.name', '=', ref.configuration)
          .where('peers.public_key', 'in', [...keys])
          .select((eb) => [
            'peers.public_key',
            'peers.name',
            'peers.allowed_ip',
            'peers.status',
            'peers.restriction_reason',
            'peers.dns',
            'peers.mtu',
            'peers.keepalive',
            'peers.endpoint_allowed_ip',
            'peers.traffic_limit',
            'peers.expiry_date',
            'peers.traffic_warn_threshold',
            'peers.reset_schedule',
            'peers.reset_anchor',
            'peers.download_bps',
            'peers.upload_bps',
            'peers.subscriber_id',
            'peers.period_started_at',
            eb('peers.private_key', 'is not', null).as('has_private_key'),
            eb('peers.preshared_key', 'is not', null).as('has_preshared_key'),
          ])
          .execute();
        if (rows.length === 0) return null;
        return Object.fromEntries(
          rows.map((r) => [
            r.public_key,
            {
              name: r.name,
              allowed_ip: r.allowed_ip,
              status: r.status,
              restriction_reason: r.restriction_reason,
              dns: r.dns,
              mtu: r.mtu,
              keepalive: r.keepalive,
              endpoint_allowed_ip: r.endpoint_allowed_ip,
              traffic_limit: n(r.traffic_limit),
              expiry_date: iso(r.expiry_date),
              traffic_warn_threshold: r.traffic_warn_threshold,
              reset_schedule: r.reset_schedule,
              reset_anchor: r.reset_anchor,
              download_bps: n(r.download_bps),
              upload_bps: n(r.upload_bps),
              subscriber_id: r.subscriber_id,
              period_started_at: iso(r.period_started_at),
              has_private_key: Boolean(r.has_private_key),
              has_preshared_key: Boolean(r.has_preshared_key),
            },
          ]),
        );
      }
      case 'configuration': {
        const r = await db
          .selectFrom('configurations')
          .innerJoin('nodes', 'nodes.id', 'configurations.node_id')
          .where('configurations.name', '=', ref.name)
          .select([
            'configurations.id',
            'configurations.name',
            'nodes.name as node',
            'configurations.interface_name',
            'configurations.address',
            'configurations.listen_port',
            'configurations.mtu',
            'configurations.dns',
            'configurations.endpoint_allowed_ip',
            'configurations.keepalive',
            'configurations.enabled',
          ])
          .executeTakeFirst();
        return r ? { ...r, enabled: Boolean(r.enabled) } : null;
      }
      case 'node': {
        let q = db.selectFrom('nodes').select(['id', 'name', 'url', 'public_host', 'fingerprint']);
        if (ref.id !== undefined) q = q.where('id', '=', ref.id);
        else if (ref.name !== undefined) q = q.where('name', '=', ref.name);
        else return null;
        return (await q.executeTakeFirst()) ?? null;
      }
      case 'subscribers': {
        const ids = ref.ids.slice(0, SNAPSHOT_ROWS);
        if (ids.length === 0) return null;
        const rows = await db
          .selectFrom('subscribers')
          .where('id', 'in', [...ids])
          .select([
            'id',
            'name',
            'email',
            'telegram_chat_id',
            'language',
            'note',
            'status',
            'restriction_reason',
            'traffic_limit',
            'expiry_date',
            'traffic_warn_threshold',
            'reset_schedule',
            'reset_anchor',
            'on_hold_days',
            'period_started_at',
            'download_bps',
            'upload_bps',
            'on_limit',
            'throttle_download_bps',
            'throttle_upload_bps',
            'download_limit',
            'upload_limit',
            'daily_limit',
          ])
          .execute();
        if (rows.length === 0) return null;
        const peers = await db
          .selectFrom('peers')
          .innerJoin('configurations', 'configurations.id', 'peers.configuration_id')
          .where('peers.subscriber_id', 'in', [...ids])
          .select([
            'peers.subscriber_id',
            'peers.public_key',
            'configurations.name as configuration',
          ])
          .execute();
        return Object.fromEntries(
          rows.map((r) => [
            String(r.id),
            {
              ...r,
              traffic_limit: n(r.traffic_limit),
              expiry_date: iso(r.expiry_date),
              period_started_at: iso(r.period_started_at),
              download_bps: n(r.download_bps),
              upload_bps: n(r.upload_bps),
              throttle_download_bps: n(r.throttle_download_bps),
              throttle_upload_bps: n(r.throttle_upload_bps),
              download_limit: n(r.download_limit),
              upload_limit: n(r.upload_limit),
              daily_limit: n(r.daily_limit),
              peers: peers
                .filter((p) => p.subscriber_id === r.id)
                .map((p) => `${p.configuration}/${p.public_key}`)
                .sort(),
            },
          ]),
        );
      }
      case 'webhook': {
        const r = await db
          .selectFrom('webhooks')
          .where('id', '=', ref.id)
          .select((eb) => [
            'id',
            'payload_url',
            'content_type',
            'verify_ssl',
            'subscribed_actions',
            'is_active',
            'notes',
            eb('secret', 'is not', null).as('has_secret'),
          ])
          .executeTakeFirst();
        if (!r) return null;
        return {
          ...r,
          verify_ssl: Boolean(r.verify_ssl),
          is_active: Boolean(r.is_active),
          has_secret: Boolean(r.has_secret),
          subscribed_actions: parse(r.subscribed_actions),
        };
      }
      case 'panel_settings':
        return settingsRows([...PANEL_SETTING_KEYS]);
      case 'notification_settings': {
        const rows = await settingsRows([
          'notifications',
          'notifications.smtp_password',
          'notifications.telegram_bot_token',
        ]);
        const settings = rows.notifications;
        return {
          ...(settings !== null && typeof settings === 'object' ? settings : {}),
          has_smtp_password: 'notifications.smtp_password' in rows,
          has_telegram_bot_token: 'notifications.telegram_bot_token' in rows,
        };
      }
      case 'api_key': {
        const r = await db
          .selectFrom('api_keys')
          .where('id', '=', ref.id)
          .select(['id', 'key_prefix', 'created_at', 'expires_at'])
          .executeTakeFirst();
        return r
          ? {
              id: r.id,
              prefix: r.key_prefix,
              created_at: iso(r.created_at),
              expires_at: iso(r.expires_at),
            }
          : null;
      }
      case 'user': {
        // Never the password hash, the TOTP secret or the recovery codes: whether it has a second
        // factor, and a reseller's limits and balance.
        const u = await db
          .selectFrom('users')
          .where('id', '=', ref.id)
          .select(['id', 'username', 'role', 'disabled', 'totp_enabled'])
          .executeTakeFirst();
        if (!u) return null;
        const l = await db
          .selectFrom('reseller_limits')
          .where('user_id', '=', ref.id)
          .select([
            'max_subscribers',
            'max_traffic_bytes',
            'max_expiry_days',
            'configurations',
            'balance_bytes',
            'balance_days',
          ])
          .executeTakeFirst();
        return {
          id: u.id,
          username: u.username,
          role: u.role,
          disabled: Boolean(u.disabled),
          totp_enabled: Boolean(u.totp_enabled),
          ...(l && {
            limits: {
              max_subscribers: l.max_subscribers,
              max_traffic_bytes: n(l.max_traffic_bytes),
              max_expiry_days: l.max_expiry_days,
              configurations: l.configurations,
              balance_bytes: n(l.balance_bytes),
              balance_days: l.balance_days,
            },
          }),
        };
      }
    }
  };
  // Only the row names of secret settings, never their values.
  async function settingsRows(keys: string[]): Promise<Record<string, unknown>> {
    const rows = await db
      .selectFrom('settings')
      .where('key', 'in', keys)
      .select(['key', 'value'])
      .execute();
    return Object.fromEntries(
      rows.map((r) => [
        r.key,
        r.key.includes('password') || r.key.includes('token') ? true : parse(r.value),
      ]),
    );
  }
  return { read };
}
