import type { SubscriberPageView } from '../../app/subscribers/subscriber-page.js';
import { daysUntil } from '../../domain/policy/evaluate.js';
import { shownSubscriberStatus } from '../../domain/policy/quotas.js';
import { formatBytes } from '../../../shared/byte-size.js';
import { MISSING_PRIVATE_KEY } from '../../domain/client-config.js';
import { configCard, escapeHtml, pageDate, renderPage } from '../public-page/page-layout.js';
import { fill, PAGE_LANGUAGES, type PageLanguage } from '../public-page/page-text.js';

export { escapeHtml } from '../public-page/page-layout.js';

/** The subscriber's own page: phone first, no script, in one of the page's languages. */
export function renderSubscriberPage(
  view: SubscriberPageView,
  token: string,
  lang: PageLanguage,
  now: Date,
): string {
  const t = PAGE_LANGUAGES[lang];
  const s = view.subscriber;
  const date = (d: Date) => pageDate(lang, d);
  const used = s.usage_rx + s.usage_tx;
  const shown = shownSubscriberStatus(s);
  const status =
    shown === 'throttled'
      ? t.throttled
      : s.status === 'active'
        ? t.active
        : s.status === 'on_hold'
          ? fill(t.onHold, { n: t.days(s.on_hold_days ?? 0) })
          : s.restriction_reason === 'expired'
            ? fill(t.cutExpired, { date: s.expiry_date ? date(s.expiry_date) : '' })
            : s.restriction_reason === 'traffic_limit'
              ? view.nextResetAt
                ? fill(t.cutLimitReset, { date: date(view.nextResetAt) })
                : t.cutLimit
              : t.cutManual;
  const limit = s.traffic_limit;
  const percent =
    limit === null ? 0 : limit === 0n ? 100 : Math.min(100, Number((used * 1000n) / limit) / 10);
  const usage =
    limit === null
      ? `<p>${escapeHtml(fill(t.unlimited, { used: formatBytes(used) }))}</p>`
      : `<div class="bar${used >= limit ? ' over' : ''}" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${percent.toFixed(0)}"><span style="width:${percent.toFixed(1)}%"></span></div>
<p>${escapeHtml(fill(t.used, { used: formatBytes(used), limit: formatBytes(limit) }))} · ${escapeHtml(fill(t.remaining, { left: formatBytes(limit > used ? limit - used : 0n) }))}</p>`;
  const expiry =
    s.status === 'on_hold'
      ? t.startsOnFirstUse
      : s.expiry_date === null
        ? t.noExpiry
        : s.expiry_date.getTime() <= now.getTime()
          ? fill(t.expiredOn, { date: date(s.expiry_date) })
          : fill(t.expiresIn, {
              n: t.days(daysUntil(s.expiry_date, now)),
              date: date(s.expiry_date),
            });
  const lines = [
    fill(t.periodStarted, { date: date(s.period_started_at) }),
    ...(view.nextResetAt ? [fill(t.nextReset, { date: date(view.nextResetAt) })] : []),
    expiry,
  ];
  const peers = view.peers
    .map((p) =>
      configCard(lang, {
        heading: p.node,
        lines: [fill(t.peerUsage, { used: formatBytes(p.usageRx + p.usageTx) })],
        configHref: `/sub/${token}/config/${p.id}`,
        qrHref: `/sub/${token}/qr/${p.id}.png`,
        fileName: p.fileName,
        noKey: p.file.includes(MISSING_PRIVATE_KEY),
      }),
    )
    .join('\n');
  return renderPage(
    lang,
    s.name,
    `<section class="card"><p class="status ${shown}">${escapeHtml(status)}</p>
${usage}
${lines.map((l) => `<p class="muted">${escapeHtml(l)}</p>`).join('\n')}</section>
${peers}`,
  );
}
