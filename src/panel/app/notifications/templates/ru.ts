import { formatBytes } from '../../../../shared/byte-size.js';
import type { TemplateFacts } from '../notification.js';
import type { TemplateSet } from './template-set.js';

const who = (f: TemplateFacts) => (f.peerName ? `«${f.peerName}»` : '');
const day = (date: string | null) => date ?? 'установленной даты';
const usage = (f: TemplateFacts) =>
  f.usageBytes !== null && f.limitBytes !== null
    ? ` (${formatBytes(f.usageBytes)} из ${formatBytes(f.limitBytes)})`
    : '';

/** 1 день, 2 дня, 5 дней. */
function days(n: number | null): string {
  if (n === null) return '? дн.';
  const m10 = n % 10;
  const m100 = n % 100;
  const word =
    m10 === 1 && m100 !== 11
      ? 'день'
      : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)
        ? 'дня'
        : 'дней';
  return `${n} ${word}`;
}

function why(reason: string | null): string {
  switch (reason) {
    case 'traffic_limit':
      return 'израсходован весь трафик по вашему тарифу';
    case 'expired':
      return 'истёк срок его действия';
    case 'manual':
      return 'его приостановил администратор';
    default:
      return 'сработало правило вашего тарифа';
  }
}

function whatToDo(reason: string | null): string {
  switch (reason) {
    case 'traffic_limit':
      return 'Доступ снова заработает с началом следующего периода или как только вам увеличат лимит: если трафик нужен сейчас, обратитесь к вашему провайдеру.';
    case 'expired':
      return 'Попросите провайдера продлить доступ: он снова заработает, как только дата будет перенесена.';
    default:
      return 'Спросите провайдера о причине и попросите вернуть доступ.';
  }
}

/** Русский. */
export const RU: TemplateSet = {
  signature: 'Это сообщение отправлено вашей VPN-панелью (wgfleet).',
  messages: {
    expiring_soon: (f) => ({
      subject: `До окончания VPN-доступа осталось ${days(f.daysLeft)}`,
      paragraphs: [
        `Ваш VPN-доступ ${who(f)} закончится через ${days(f.daysLeft)}: ${day(f.expiryDate)}.`,
        'Чтобы он продолжал работать, попросите провайдера продлить его заранее.',
      ],
    }),
    expired: (f) => ({
      subject: 'Срок вашего VPN-доступа истёк',
      paragraphs: [
        `Ваш VPN-доступ ${who(f)} закончился ${day(f.expiryDate)}.`,
        whatToDo('expired'),
      ],
    }),
    traffic_warning: (f) => ({
      subject: `Использовано ${f.percent ?? '?'}% вашего VPN-трафика`,
      paragraphs: [
        `Вы использовали ${f.percent ?? '?'}% трафика вашего VPN-доступа ${who(f)}${usage(f)}.`,
        'Когда трафик закончится, доступ остановится до начала следующего периода или до увеличения лимита.',
      ],
    }),
    traffic_exceeded: (f) => ({
      subject: 'Ваш VPN-трафик израсходован',
      paragraphs: [
        `Ваш VPN-доступ ${who(f)} израсходовал весь трафик${usage(f)}.`,
        whatToDo('traffic_limit'),
      ],
    }),
    restricted: (f) => ({
      subject: 'Ваш VPN-доступ отключён',
      paragraphs: [
        `Ваш VPN-доступ ${who(f)} отключён, потому что ${why(f.reason)}.`,
        whatToDo(f.reason),
      ],
    }),
    restored: (f) => ({
      subject: 'Ваш VPN-доступ снова работает',
      paragraphs: [`Ваш VPN-доступ ${who(f)} снова работает. Делать ничего не нужно.`],
    }),
    usage_reset: (f) => ({
      subject: 'Ваш VPN-трафик начинается заново',
      paragraphs: [`Начался новый период ${who(f)}: трафик снова считается с нуля.`],
    }),
    activated: (f) => ({
      subject: 'Ваш VPN-доступ активирован',
      paragraphs: [
        `Ваш VPN-доступ ${who(f)} действует с первого подключения, до ${day(f.expiryDate)}.`,
      ],
    }),
    node_down: (f) => ({
      subject: `Узел ${f.node ?? '?'} недоступен`,
      paragraphs: [
        `Панель не может связаться с узлом ${f.node ?? '?'}.`,
        f.message,
        'Его пиры сохраняют последнее состояние; узел сам соблюдает их лимиты, пока панель снова не свяжется с ним.',
      ],
    }),
    node_up: (f) => ({
      subject: `Узел ${f.node ?? '?'} снова доступен`,
      paragraphs: [`Панель снова связывается с узлом ${f.node ?? '?'}.`],
    }),
    interface_missing: (f) => ({
      subject: `Интерфейс ${f.configuration ?? '?'} отсутствует на узле ${f.node ?? '?'}`,
      paragraphs: [f.message],
    }),
    interface_back: (f) => ({
      subject: `Интерфейс ${f.configuration ?? '?'} снова есть на узле ${f.node ?? '?'}`,
      paragraphs: [f.message],
    }),
    test: () => ({
      subject: 'Тестовое уведомление от вашей VPN-панели',
      paragraphs: ['Это тест. Если вы его читаете, уведомления до вас доходят.'],
    }),
    other: (f) => ({ subject: f.message.slice(0, 120), paragraphs: [f.message] }),
  },
  digest: (d) => ({
    subject: `Сводка VPN за ${d.day}`,
    paragraphs: [
      `Узлы: ${d.nodesTotal - d.nodesOffline.length} из ${d.nodesTotal} в сети${d.nodesOffline.length > 0 ? ` (недоступны: ${d.nodesOffline.join(', ')})` : ''}.`,
      `Пиров отключено сейчас: ${d.peersRestricted}. Истекают в ближайшие 7 дней: ${d.peersExpiringSoon}.`,
      Object.keys(d.eventCounts).length === 0
        ? 'За последние 24 часа событий нет.'
        : `События за последние 24 часа: ${Object.entries(d.eventCounts)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}.`,
    ],
  }),
};
