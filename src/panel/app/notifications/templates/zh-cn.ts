import { formatBytes } from '../../../../shared/byte-size.js';
import type { TemplateFacts } from '../notification.js';
import type { TemplateSet } from './template-set.js';

const who = (f: TemplateFacts) => (f.peerName ? `“${f.peerName}”` : '');
const day = (date: string | null) => date ?? '设定日期';
const usage = (f: TemplateFacts) =>
  f.usageBytes !== null && f.limitBytes !== null
    ? `（${formatBytes(f.usageBytes)} / ${formatBytes(f.limitBytes)}）`
    : '';

function why(reason: string | null): string {
  switch (reason) {
    case 'traffic_limit':
      return '套餐内的流量已全部用完';
    case 'expired':
      return '已超过到期日期';
    case 'manual':
      return '管理员暂停了它';
    default:
      return '触发了您套餐中的一条规则';
  }
}

function whatToDo(reason: string | null): string {
  switch (reason) {
    case 'traffic_limit':
      return '下一个周期开始或流量额度提高后即可恢复使用；如现在需要更多流量，请联系您的服务商。';
    case 'expired':
      return '请联系服务商续期；到期日期延后后即可恢复使用。';
    default:
      return '请向服务商询问原因，并请求恢复访问。';
  }
}

/** 简体中文。 */
export const ZH_CN: TemplateSet = {
  signature: '此消息由您的 VPN 面板（wgfleet）发送。',
  messages: {
    expiring_soon: (f) => ({
      subject: `您的 VPN 访问还剩 ${f.daysLeft ?? '?'} 天`,
      paragraphs: [
        `您的 VPN 访问${who(f)}将在 ${f.daysLeft ?? '?'} 天后到期：${day(f.expiryDate)}。`,
        '如需继续使用，请在此之前联系服务商续期。',
      ],
    }),
    expired: (f) => ({
      subject: '您的 VPN 访问已到期',
      paragraphs: [`您的 VPN 访问${who(f)}已于 ${day(f.expiryDate)} 到期。`, whatToDo('expired')],
    }),
    traffic_warning: (f) => ({
      subject: `您的 VPN 流量已使用 ${f.percent ?? '?'}%`,
      paragraphs: [
        `您的 VPN 访问${who(f)}已使用 ${f.percent ?? '?'}% 的流量${usage(f)}。`,
        '流量用完后，访问将暂停，直到下一个周期开始或额度提高。',
      ],
    }),
    traffic_exceeded: (f) => ({
      subject: '您的 VPN 流量已用完',
      paragraphs: [
        `您的 VPN 访问${who(f)}的流量已全部用完${usage(f)}。`,
        whatToDo('traffic_limit'),
      ],
    }),
    restricted: (f) => ({
      subject: '您的 VPN 访问已被停用',
      paragraphs: [`您的 VPN 访问${who(f)}已被停用，原因：${why(f.reason)}。`, whatToDo(f.reason)],
    }),
    restored: (f) => ({
      subject: '您的 VPN 访问已恢复',
      paragraphs: [`您的 VPN 访问${who(f)}已恢复正常，您无需任何操作。`],
    }),
    usage_reset: (f) => ({
      subject: '您的 VPN 流量重新开始计算',
      paragraphs: [`${who(f)}新的周期已开始：流量从零重新计算。`],
    }),
    activated: (f) => ({
      subject: '您的 VPN 访问已激活',
      paragraphs: [`您的 VPN 访问${who(f)}自首次连接起生效，有效期至 ${day(f.expiryDate)}。`],
    }),
    node_down: (f) => ({
      subject: `节点 ${f.node ?? '?'} 无法连接`,
      paragraphs: [
        `面板无法连接节点 ${f.node ?? '?'}。`,
        f.message,
        '其对等端保持最后的状态；在面板重新连上之前，节点会自行执行它们的配额。',
      ],
    }),
    node_up: (f) => ({
      subject: `节点 ${f.node ?? '?'} 已恢复`,
      paragraphs: [`面板已重新连上节点 ${f.node ?? '?'}。`],
    }),
    interface_missing: (f) => ({
      subject: `节点 ${f.node ?? '?'} 上缺少 ${f.configuration ?? '?'} 的接口`,
      paragraphs: [f.message],
    }),
    interface_back: (f) => ({
      subject: `节点 ${f.node ?? '?'} 上 ${f.configuration ?? '?'} 的接口已恢复`,
      paragraphs: [f.message],
    }),
    test: () => ({
      subject: '来自您的 VPN 面板的测试通知',
      paragraphs: ['这是一条测试消息。如果您能看到它，说明通知可以送达。'],
    }),
    other: (f) => ({ subject: f.message.slice(0, 120), paragraphs: [f.message] }),
  },
  digest: (d) => ({
    subject: `VPN 每日摘要（${d.day}）`,
    paragraphs: [
      `节点：${d.nodesTotal} 个中 ${d.nodesTotal - d.nodesOffline.length} 个在线${d.nodesOffline.length > 0 ? `（离线：${d.nodesOffline.join('、')}）` : ''}。`,
      `当前停用的对等端：${d.peersRestricted}。7 天内到期：${d.peersExpiringSoon}。`,
      Object.keys(d.eventCounts).length === 0
        ? '过去 24 小时没有事件。'
        : `过去 24 小时的事件：${Object.entries(d.eventCounts)
            .map(([k, n]) => `${k} ${n}`)
            .join('，')}。`,
    ],
  }),
};
