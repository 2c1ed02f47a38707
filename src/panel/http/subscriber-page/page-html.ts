import type { SubscriberPageView } from '../../app/subscribers/subscriber-page.js';
import { daysUntil } from '../../domain/policy/evaluate.js';
import { formatBytes } from '../../../shared/byte-size.js';
import { MISSING_PRIVATE_KEY } from '../../domain/client-config.js';
import { fill, PAGE_LANGUAGES, type PageLanguage } from './page-text.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1b1f24}
main{max-width:34rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin:0 0 .5rem}
.card{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.status{font-weight:600}.active{color:#106b2c}.on_hold{color:#8a5a00}.restricted{color:#b3261e}
.bar{height:.75rem;border-radius:.375rem;background:#e3e6ea;overflow:hidden;margin:.5rem 0}.bar>span{display:block;height:100%;background:#2f6fdb}
.bar.over>span{background:#b3261e}.muted{color:#5b6470;font-size:.92rem}
a.button{display:block;text-align:center;padding:.75rem;border-radius:.5rem;background:#2f6fdb;color:#fff;text-decoration:none;font-weight:600;margin:.75rem 0}
img.qr{display:block;width:100%;max-width:18rem;height:auto;margin:0 auto;image-rendering:pixelated}
@media (prefers-color-scheme:dark){body{background:#121417;color:#e6e8eb}.card{background:#1c1f24;box-shadow:none}.bar{background:#2c3138}.muted{color:#9aa3ad}}
`;

/** The subscriber's own page: phone first, no script, in one of the page's languages. */
export function renderSubscriberPage(
  view: SubscriberPageView,
  token: string,
  lang: PageLanguage,
  now: Date,
): string {
  const t = PAGE_LANGUAGES[lang];
  const s = view.subscriber;
  const date = (d: Date) =>
    new Intl.DateTimeFormat(lang, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(d) + ' UTC';
  const used = s.usage_rx + s.usage_tx;
  const status =
    s.status === 'active'
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
    .map((p) => {
      const base = `/sub/${token}`;
      const noKey = p.file.includes(MISSING_PRIVATE_KEY)
        ? `<p class="muted">${escapeHtml(t.noKey)}</p>`
        : '';
      return `<section class="card"><h2>${escapeHtml(p.node)}</h2>
<p class="muted">${escapeHtml(fill(t.peerUsage, { used: formatBytes(p.usageRx + p.usageTx) }))}</p>
<a class="button" href="${base}/config/${p.id}" download="${escapeHtml(p.fileName)}">${escapeHtml(t.download)}</a>${noKey}
<img class="qr" src="${base}/qr/${p.id}.png" width="290" height="290" alt="${escapeHtml(t.scan)}"><p class="muted" style="text-align:center">${escapeHtml(t.scan)}</p></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${lang}" dir="${t.dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(s.name)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(s.name)}</h1>
<section class="card"><p class="status ${s.status}">${escapeHtml(status)}</p>
${usage}
${lines.map((l) => `<p class="muted">${escapeHtml(l)}</p>`).join('\n')}</section>
${peers}
</main></body></html>
`;
}
