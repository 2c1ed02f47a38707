import type { ClientConfigFile } from '../../app/peers/client-configs.js';
import { MISSING_PRIVATE_KEY } from '../../domain/client-config.js';
import { configCard, escapeHtml, pageDate, renderPage } from '../public-page/page-layout.js';
import { fill, PAGE_LANGUAGES, type PageLanguage } from '../public-page/page-text.js';

/** `?ShareID=…` of the share page's links (the id percent-encoded, it is a uuid anyway). */
export const shareQuery = (shareId: string) => `?ShareID=${encodeURIComponent(shareId)}`;

/**
 * The share page (`/share?ShareID=`): the peer's config to download and its QR code, laid out as
 * the subscriber page; `null` config = the link expired or never was (the same page for both).
 */
export function renderSharePage(
  shared: { shareId: string; config: ClientConfigFile; expireDate: Date | null } | null,
  lang: PageLanguage,
): string {
  const t = PAGE_LANGUAGES[lang];
  if (!shared)
    return renderPage(
      lang,
      t.shareTitle,
      `<section class="card"><p class="status restricted">${escapeHtml(t.shareGone)}</p></section>`,
    );
  const q = shareQuery(shared.shareId);
  const fileName = `${shared.config.fileName}.conf`;
  return renderPage(
    lang,
    t.shareTitle,
    configCard(lang, {
      heading: fileName,
      lines: [
        t.shareHint,
        ...(shared.expireDate
          ? [fill(t.shareUntil, { date: pageDate(lang, shared.expireDate) })]
          : []),
      ],
      configHref: `/share/config${q}`,
      qrHref: `/share/qr.png${q}`,
      fileName,
      noKey: shared.config.file.includes(MISSING_PRIVATE_KEY),
    }),
  );
}
