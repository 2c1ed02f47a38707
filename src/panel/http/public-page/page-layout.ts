import type { FastifyReply, FastifyRequest } from 'fastify';
import { PAGE_LANGUAGES, type PageLanguage } from './page-text.js';

/**
 * The layout the pages opened without sign-in share (the subscriber page `/sub/{token}`, the
 * share page `/share?ShareID=`): phone first, no script, light and dark, one style sheet.
 */

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

/** A whole page: `body` is HTML already escaped. */
export function renderPage(lang: PageLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}" dir="${PAGE_LANGUAGES[lang].dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`;
}

/** One client config as a card: heading, lines above, download button, QR code. */
export function configCard(
  lang: PageLanguage,
  card: {
    readonly heading: string;
    readonly lines: readonly string[];
    readonly configHref: string;
    readonly qrHref: string;
    readonly fileName: string;
    /** The file has a placeholder instead of the private key. */
    readonly noKey: boolean;
  },
): string {
  const t = PAGE_LANGUAGES[lang];
  const noKey = card.noKey ? `<p class="muted">${escapeHtml(t.noKey)}</p>` : '';
  return `<section class="card"><h2>${escapeHtml(card.heading)}</h2>
${card.lines.map((l) => `<p class="muted">${escapeHtml(l)}</p>`).join('\n')}
<a class="button" href="${escapeHtml(card.configHref)}" download="${escapeHtml(card.fileName)}">${escapeHtml(t.download)}</a>${noKey}
<img class="qr" src="${escapeHtml(card.qrHref)}" width="290" height="290" alt="${escapeHtml(t.scan)}"><p class="muted" style="text-align:center">${escapeHtml(t.scan)}</p></section>`;
}

/** A date as the pages write it: long, in the page's language, UTC. */
export const pageDate = (lang: PageLanguage, d: Date) =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(
    d,
  ) + ' UTC';

/**
 * The headers of every answer of a page opened by a secret link: nothing cached, nothing
 * indexed, no referrer leaves (the link is in the URL), no script, not framed.
 */
export async function publicPageHeaders(_req: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('cache-control', 'no-store');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-robots-tag', 'noindex, nofollow');
  reply.header('x-content-type-options', 'nosniff');
  reply.header(
    'content-security-policy',
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
}
