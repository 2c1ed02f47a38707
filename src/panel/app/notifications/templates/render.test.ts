import { describe, expect, it } from 'vitest';
import { NOTIFICATION_ACTIONS, NOTIFICATION_LANGUAGES } from '../../../domain/vocabulary.js';
import type { TemplateFacts } from '../notification.js';
import { messageDate, messageKindOf, renderNotification } from './render.js';

const facts: TemplateFacts = {
  peerName: 'alice',
  configuration: 'wg0',
  node: 'n1',
  usageBytes: 900,
  limitBytes: 1000,
  percent: 90,
  daysLeft: 2,
  expiryDate: '2026-12-06T23:30:00.000Z',
  reason: 'traffic_limit',
  message: 'the log line',
};

describe('notification templates', () => {
  it('every language words every action, as text and HTML, without a hole', () => {
    for (const lang of NOTIFICATION_LANGUAGES)
      for (const action of NOTIFICATION_ACTIONS) {
        const m = renderNotification(action, facts, lang);
        expect(m.subject.length, `${lang} ${action}`).toBeGreaterThan(3);
        expect(`${m.subject} ${m.text} ${m.html}`, `${lang} ${action}`).not.toMatch(
          /undefined|NaN|\[object/,
        );
        expect(m.html).toContain(`lang="${lang}"`);
      }
  });

  it("gives subscriber actions their peer twin's words, and activation its own", () => {
    expect(messageKindOf('subscriber_traffic_exceeded')).toBe('traffic_exceeded');
    expect(messageKindOf('subscriber_activated')).toBe('activated');
    expect(messageKindOf('subscriber_usage_reset')).toBe('usage_reset');
  });

  it('writes dates in the panel time zone, naming it', () => {
    expect(messageDate('2026-12-06T23:30:00.000Z', 'UTC')).toBe('2026-12-06 23:30 (UTC)');
    expect(messageDate('2026-12-06T23:30:00.000Z', 'Europe/Berlin')).toBe(
      '2026-12-07 00:30 (Europe/Berlin)',
    );
    const m = renderNotification('subscriber_expiring_soon', facts, 'ru', 'Asia/Tokyo');
    expect(m.subject).toBe('До окончания VPN-доступа осталось 2 дня');
    expect(m.text).toContain('2026-12-07 08:30 (Asia/Tokyo)');
    expect(renderNotification('subscriber_restricted', facts, 'zh-CN').text).toContain(
      '套餐内的流量已全部用完',
    );
  });
});
