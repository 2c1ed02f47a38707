import { formatBytes } from '../../../../shared/byte-size.js';
import type { TemplateFacts } from '../notification.js';
import type { TemplateSet } from './template-set.js';

const who = (f: TemplateFacts) => (f.peerName ? `"${f.peerName}"` : 'your VPN access');
const day = (date: string | null) => date ?? 'the set date';
const usage = (f: TemplateFacts) =>
  f.usageBytes !== null && f.limitBytes !== null
    ? ` (${formatBytes(f.usageBytes)} of ${formatBytes(f.limitBytes)})`
    : '';

function why(reason: string | null): string {
  switch (reason) {
    case 'traffic_limit':
      return 'all the traffic of your allowance is used';
    case 'expired':
      return 'its end date has passed';
    case 'manual':
      return 'an administrator paused it';
    default:
      return 'of a rule of your plan';
  }
}

function whatToDo(reason: string | null): string {
  switch (reason) {
    case 'traffic_limit':
      return 'It works again when the next period starts, or as soon as your allowance is raised: ask your provider if you need more now.';
    case 'expired':
      return 'Ask your provider to extend it; it works again as soon as the date is moved.';
    default:
      return 'Ask your provider why, and to give access back.';
  }
}

/** English. */
export const EN: TemplateSet = {
  signature: 'This message was sent by your VPN panel (wgfleet).',
  messages: {
    expiring_soon: (f) => ({
      subject: `${f.daysLeft ?? '?'} day${f.daysLeft === 1 ? '' : 's'} left on your VPN access`,
      paragraphs: [
        `Your VPN access ${who(f)} ends in ${f.daysLeft ?? '?'} day${f.daysLeft === 1 ? '' : 's'}, on ${day(f.expiryDate)}.`,
        'To keep it working, ask your provider to extend it before then.',
      ],
    }),
    expired: (f) => ({
      subject: 'Your VPN access has expired',
      paragraphs: [`Your VPN access ${who(f)} ended on ${day(f.expiryDate)}.`, whatToDo('expired')],
    }),
    traffic_warning: (f) => ({
      subject: `${f.percent ?? '?'}% of your VPN traffic used`,
      paragraphs: [
        `You have used ${f.percent ?? '?'}% of the traffic of your VPN access ${who(f)}${usage(f)}.`,
        'When all of it is used, the access stops until the next period starts or the allowance is raised.',
      ],
    }),
    traffic_exceeded: (f) => ({
      subject: 'All of your VPN traffic is used',
      paragraphs: [
        `Your VPN access ${who(f)} has used all of its traffic${usage(f)}.`,
        whatToDo('traffic_limit'),
      ],
    }),
    restricted: (f) => ({
      subject: 'Your VPN access was cut off',
      paragraphs: [
        `Your VPN access ${who(f)} was cut off because ${why(f.reason)}.`,
        whatToDo(f.reason),
      ],
    }),
    restored: (f) => ({
      subject: 'Your VPN access works again',
      paragraphs: [`Your VPN access ${who(f)} works again. Nothing to do on your side.`],
    }),
    usage_reset: (f) => ({
      subject: 'Your VPN traffic allowance starts again',
      paragraphs: [`A new period began for ${who(f)}: its traffic counts from zero again.`],
    }),
    activated: (f) => ({
      subject: 'Your VPN access is active',
      paragraphs: [
        `Your VPN access ${who(f)} is active from its first connection; it runs until ${day(f.expiryDate)}.`,
      ],
    }),
    node_down: (f) => ({
      subject: `Node ${f.node ?? '?'} is down`,
      paragraphs: [
        `The panel cannot reach node ${f.node ?? '?'}.`,
        f.message,
        'Its peers keep their last state; the node enforces their allowances by itself until the panel reaches it again.',
      ],
    }),
    node_up: (f) => ({
      subject: `Node ${f.node ?? '?'} is back`,
      paragraphs: [`The panel reaches node ${f.node ?? '?'} again.`],
    }),
    interface_missing: (f) => ({
      subject: `Interface of ${f.configuration ?? '?'} missing on node ${f.node ?? '?'}`,
      paragraphs: [f.message],
    }),
    interface_back: (f) => ({
      subject: `Interface of ${f.configuration ?? '?'} is back on node ${f.node ?? '?'}`,
      paragraphs: [f.message],
    }),
    test: () => ({
      subject: 'Test notification from your VPN panel',
      paragraphs: ['This is a test. If you can read it, notifications reach you.'],
    }),
    other: (f) => ({ subject: f.message.slice(0, 120), paragraphs: [f.message] }),
  },
  digest: (d) => ({
    subject: `VPN fleet digest for ${d.day}`,
    paragraphs: [
      `Nodes: ${d.nodesTotal - d.nodesOffline.length} of ${d.nodesTotal} online${d.nodesOffline.length > 0 ? ` (offline: ${d.nodesOffline.join(', ')})` : ''}.`,
      `Peers restricted now: ${d.peersRestricted}. Expiring within 7 days: ${d.peersExpiringSoon}.`,
      Object.keys(d.eventCounts).length === 0
        ? 'No events in the last 24 hours.'
        : `Events in the last 24 hours: ${Object.entries(d.eventCounts)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}.`,
    ],
  }),
};
