import { formatBytes } from '../../../../shared/byte-size.js';
import type { TemplateFacts } from '../notification.js';
import type { TemplateSet } from './template-set.js';

const who = (f: TemplateFacts) => (f.peerName ? `„${f.peerName}“` : '');
const day = (date: string | null) => date ?? 'dem festgelegten Datum';
const usage = (f: TemplateFacts) =>
  f.usageBytes !== null && f.limitBytes !== null
    ? ` (${formatBytes(f.usageBytes)} von ${formatBytes(f.limitBytes)})`
    : '';
const tage = (n: number | null) => `${n ?? '?'} Tag${n === 1 ? '' : 'e'}`;

function why(reason: string | null): string {
  switch (reason) {
    case 'traffic_limit':
      return 'das Datenvolumen aufgebraucht ist';
    case 'expired':
      return 'das Enddatum überschritten ist';
    case 'manual':
      return 'ein Administrator ihn angehalten hat';
    default:
      return 'eine Regel Ihres Tarifs greift';
  }
}

function whatToDo(reason: string | null): string {
  switch (reason) {
    case 'traffic_limit':
      return 'Er funktioniert wieder, sobald der nächste Zeitraum beginnt oder Ihr Volumen erhöht wird. Wenden Sie sich an Ihren Anbieter, wenn Sie jetzt mehr brauchen.';
    case 'expired':
      return 'Bitten Sie Ihren Anbieter um eine Verlängerung; der Zugang funktioniert wieder, sobald das Datum verschoben ist.';
    default:
      return 'Fragen Sie Ihren Anbieter nach dem Grund und bitten Sie um Freigabe.';
  }
}

/** Deutsch. */
export const DE: TemplateSet = {
  signature: 'Diese Nachricht kommt von Ihrem VPN-Panel (wgfleet).',
  messages: {
    expiring_soon: (f) => ({
      subject: `Noch ${tage(f.daysLeft)} VPN-Zugang`,
      paragraphs: [
        `Ihr VPN-Zugang ${who(f)} endet in ${tage(f.daysLeft)}, am ${day(f.expiryDate)}.`,
        'Damit er weiter funktioniert, bitten Sie Ihren Anbieter vorher um eine Verlängerung.',
      ],
    }),
    expired: (f) => ({
      subject: 'Ihr VPN-Zugang ist abgelaufen',
      paragraphs: [
        `Ihr VPN-Zugang ${who(f)} ist am ${day(f.expiryDate)} abgelaufen.`,
        whatToDo('expired'),
      ],
    }),
    traffic_warning: (f) => ({
      subject: `${f.percent ?? '?'} % Ihres VPN-Datenvolumens verbraucht`,
      paragraphs: [
        `Sie haben ${f.percent ?? '?'} % des Datenvolumens Ihres VPN-Zugangs ${who(f)} verbraucht${usage(f)}.`,
        'Ist alles verbraucht, ruht der Zugang bis zum nächsten Zeitraum oder bis das Volumen erhöht wird.',
      ],
    }),
    traffic_exceeded: (f) => ({
      subject: 'Ihr VPN-Datenvolumen ist aufgebraucht',
      paragraphs: [
        `Ihr VPN-Zugang ${who(f)} hat sein gesamtes Datenvolumen verbraucht${usage(f)}.`,
        whatToDo('traffic_limit'),
      ],
    }),
    restricted: (f) => ({
      subject: 'Ihr VPN-Zugang wurde gesperrt',
      paragraphs: [
        `Ihr VPN-Zugang ${who(f)} wurde gesperrt, weil ${why(f.reason)}.`,
        whatToDo(f.reason),
      ],
    }),
    restored: (f) => ({
      subject: 'Ihr VPN-Zugang funktioniert wieder',
      paragraphs: [`Ihr VPN-Zugang ${who(f)} funktioniert wieder. Sie müssen nichts tun.`],
    }),
    usage_reset: (f) => ({
      subject: 'Ihr VPN-Datenvolumen beginnt neu',
      paragraphs: [
        `Ein neuer Zeitraum hat begonnen ${who(f)}: das Datenvolumen zählt wieder ab null.`,
      ],
    }),
    activated: (f) => ({
      subject: 'Ihr VPN-Zugang ist aktiv',
      paragraphs: [
        `Ihr VPN-Zugang ${who(f)} ist seit der ersten Verbindung aktiv; er läuft bis ${day(f.expiryDate)}.`,
      ],
    }),
    node_down: (f) => ({
      subject: `Knoten ${f.node ?? '?'} ist nicht erreichbar`,
      paragraphs: [
        `Das Panel erreicht den Knoten ${f.node ?? '?'} nicht.`,
        f.message,
        'Seine Peers behalten ihren letzten Zustand; der Knoten setzt ihre Kontingente selbst durch, bis das Panel ihn wieder erreicht.',
      ],
    }),
    node_up: (f) => ({
      subject: `Knoten ${f.node ?? '?'} ist wieder erreichbar`,
      paragraphs: [`Das Panel erreicht den Knoten ${f.node ?? '?'} wieder.`],
    }),
    interface_missing: (f) => ({
      subject: `Schnittstelle von ${f.configuration ?? '?'} fehlt auf Knoten ${f.node ?? '?'}`,
      paragraphs: [f.message],
    }),
    interface_back: (f) => ({
      subject: `Schnittstelle von ${f.configuration ?? '?'} ist wieder da (Knoten ${f.node ?? '?'})`,
      paragraphs: [f.message],
    }),
    test: () => ({
      subject: 'Testnachricht Ihres VPN-Panels',
      paragraphs: ['Dies ist ein Test. Wenn Sie ihn lesen, erreichen Sie Benachrichtigungen.'],
    }),
    other: (f) => ({ subject: f.message.slice(0, 120), paragraphs: [f.message] }),
  },
  digest: (d) => ({
    subject: `VPN-Tagesübersicht für ${d.day}`,
    paragraphs: [
      `Knoten: ${d.nodesTotal - d.nodesOffline.length} von ${d.nodesTotal} erreichbar${d.nodesOffline.length > 0 ? ` (nicht erreichbar: ${d.nodesOffline.join(', ')})` : ''}.`,
      `Gesperrte Peers: ${d.peersRestricted}. Ablauf in den nächsten 7 Tagen: ${d.peersExpiringSoon}.`,
      Object.keys(d.eventCounts).length === 0
        ? 'Keine Ereignisse in den letzten 24 Stunden.'
        : `Ereignisse der letzten 24 Stunden: ${Object.entries(d.eventCounts)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}.`,
    ],
  }),
};
