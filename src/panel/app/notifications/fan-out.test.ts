import { describe, expect, it } from 'vitest';
import { digestDay } from './daily-digest.js';
import { reminderDays } from './expiry-reminders.js';
import { fanOut } from './fan-out.js';
import type { Contact, Notification } from './notification.js';
import { DEFAULT_NOTIFICATION_SETTINGS } from './notification-settings.js';

const facts = {
  peerName: 'alice',
  configuration: 'wg0',
  node: 'n1',
  usageBytes: 900,
  limitBytes: 1000,
  percent: 90,
  daysLeft: null,
  expiryDate: null,
  reason: null,
  message: 'Peer alice approaching traffic limit. Usage: 90%',
};
const n = (action: Notification['action'], extra: Partial<Notification> = {}): Notification => ({
  eventId: 'e1',
  action,
  at: new Date('2026-01-01T00:00:00Z'),
  data: { configuration: 'wg0' },
  facts,
  peerId: 7,
  ...extra,
});
const sub: Contact = {
  channel: 'email',
  address: 'A@x.test',
  language: 'en',
  audience: 'subscriber',
};
const op: Contact = { channel: 'telegram', address: '-1', language: 'de', audience: 'operator' };
let i = 0;
const id = () => `d${++i}`;

describe('fanOut', () => {
  it('one delivery per subscribed webhook, with 4.3 fields and the event id', () => {
    const out = fanOut(
      n('peer_traffic_warning'),
      [
        { id: 'w1', subscribedActions: ['peer_traffic_warning'] },
        { id: 'w2', subscribedActions: ['peer_created'] },
      ],
      [],
      DEFAULT_NOTIFICATION_SETTINGS,
      id,
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.payload).toMatchObject({
      action: 'peer_traffic_warning',
      webhook_id: 'w1',
      webhook_session: out[0]!.id,
      event_id: 'e1',
      time: '2026-01-01 00:00:00',
    });
  });

  it('routes contacts by audience and settings; an address given twice gets it once', () => {
    const out = fanOut(
      n('peer_traffic_warning'),
      [],
      [sub, { ...sub, address: 'a@x.test' }, op],
      DEFAULT_NOTIFICATION_SETTINGS,
      id,
    );
    expect(out.map((d) => d.target)).toEqual(['email:a@x.test']);
    expect(out[0]!.payload).toMatchObject({
      to: 'A@x.test',
      subject: '90% of your VPN traffic used',
    });
    const quiet = fanOut(
      n('peer_traffic_warning'),
      [],
      [sub],
      { ...DEFAULT_NOTIFICATION_SETTINGS, usage_warning: false },
      id,
    );
    expect(quiet).toEqual([]);
    const down = fanOut(n('node_down'), [], [sub, op], DEFAULT_NOTIFICATION_SETTINGS, id);
    expect(down.map((d) => d.target)).toEqual(['telegram:-1']);
    expect(String(down[0]!.payload.text)).toMatch(/^Knoten n1 ist nicht erreichbar/);
  });

  it('subscribers hear of an expiry from the reminders, not the policy warning', () => {
    expect(fanOut(n('peer_expiring_soon'), [], [sub], DEFAULT_NOTIFICATION_SETTINGS, id)).toEqual(
      [],
    );
    expect(
      fanOut(
        n('peer_expiring_soon', { reminder: true }),
        [],
        [sub],
        DEFAULT_NOTIFICATION_SETTINGS,
        id,
      ),
    ).toHaveLength(1);
  });

  it("writes a subscriber's messages in its own language, the others in the panel's", () => {
    const settings = {
      ...DEFAULT_NOTIFICATION_SETTINGS,
      operator_actions: ['peer_restricted' as const],
    };
    const cut = n('peer_restricted', { facts: { ...facts, reason: 'manual' } });
    const [ru, panel] = fanOut(
      cut,
      [],
      [
        { ...sub, language: 'ru' },
        { ...sub, address: 'b@x.test', language: null },
      ],
      settings,
      id,
    );
    expect(ru!.payload.subject).toBe('Ваш VPN-доступ отключён');
    expect(panel!.payload.subject).toBe('Your VPN access was cut off');
    const [zh] = fanOut(
      cut,
      [],
      [{ ...sub, language: null }],
      { ...settings, language: 'zh-CN' },
      id,
    );
    expect(zh!.payload.subject).toBe('您的 VPN 访问已被停用');
  });
});

describe('reminderDays', () => {
  it('is the smallest configured day count reached', () => {
    expect(reminderDays(5, [3, 1])).toBeNull();
    expect(reminderDays(3, [3, 1])).toBe(3);
    expect(reminderDays(2, [3, 1])).toBe(3);
    expect(reminderDays(1, [3, 1])).toBe(1);
    expect(reminderDays(0, [3, 1])).toBe(1);
  });

  it("leaves a peer cut with its subscriber to the subscriber's own event; webhooks still get it", () => {
    const cut = n('peer_restricted', { bySubscriber: true });
    const out = fanOut(
      cut,
      [{ id: 'w1', subscribedActions: ['peer_restricted'] }],
      [sub, op],
      { ...DEFAULT_NOTIFICATION_SETTINGS, operator_actions: ['peer_restricted'] },
      id,
    );
    expect(out.map((d) => d.target)).toEqual(['webhook:w1', 'telegram:-1']);
  });

  it("takes the digest's hour and day in the panel's time zone", () => {
    const s = { ...DEFAULT_NOTIFICATION_SETTINGS, digest_hour: 8 };
    // 05:00 UTC is before 8 in UTC, 14:00 in Tokyo.
    const early = new Date('2026-12-06T05:00:00Z');
    expect(digestDay(early, s)).toBeNull();
    expect(digestDay(early, s, 'Asia/Tokyo')).toBe('2026-12-06');
    // 23:30 UTC is 08:30 the next day in Tokyo: that day's digest.
    expect(digestDay(new Date('2026-12-06T23:30:00Z'), s, 'Asia/Tokyo')).toBe('2026-12-07');
  });
});
