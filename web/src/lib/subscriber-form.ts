/**
 * The subscriber form's values, its checks and the bodies it sends (addSubscriber with one peer on
 * each chosen configuration; updateSubscriber). Pure: the component holds the state.
 */
import type { NotificationLanguage, ResetSchedule, SubscriberJson } from '../api/types';
import { t } from '../i18n/index.js';
import { checkAnchor, checkLimit, checkRange, checkThreshold, failing } from './field-checks.js';
import { splitBytes, toBytes, toLocalInput, type SizeUnit } from './format.js';
import { checkSpeedForm, speedBody, speedFormOf, type SpeedForm } from './speed-form.js';

/** Its speed part (applied to each of its peers) is the peer form's. */
export interface SubscriberForm extends SpeedForm {
  name: string;
  email: string;
  telegram: string;
  /** Its messages' language; '' = the panel's. */
  language: NotificationLanguage | '';
  note: string;
  limit: number | '';
  unit: SizeUnit;
  expiry: string;
  threshold: number | '';
  schedule: ResetSchedule;
  anchor: number | '';
  onHoldDays: number | '';
  /** New subscriber: the configurations to create one peer on each of. */
  configurations: string[];
}

/** The form for a new subscriber, or filled with a subscriber's settings. */
export function subscriberFormOf(s: SubscriberJson | null): SubscriberForm {
  const limit = s?.traffic_limit == null ? null : splitBytes(s.traffic_limit);
  return {
    name: s?.name ?? '',
    email: s?.email ?? '',
    telegram: s?.telegram_chat_id ?? '',
    language: s?.language ?? '',
    note: s?.note ?? '',
    limit: limit?.amount ?? '',
    unit: limit?.unit ?? 'GiB',
    expiry: s?.expiry_date ? toLocalInput(new Date(s.expiry_date)) : '',
    threshold: s?.traffic_warn_threshold ?? 80,
    schedule: s?.reset_schedule ?? 'none',
    anchor: s?.reset_anchor ?? '',
    onHoldDays: s?.on_hold_days ?? '',
    configurations: [],
    ...speedFormOf(s),
  };
}

/** Every mistake of the form at once, by field; `{}` when there is none. */
export function checkSubscriberForm(f: SubscriberForm): Record<string, string> {
  return failing({
    name: !f.name.trim()
      ? t('subForm.nameRequired')
      : f.name.trim().length > 255
        ? t('checks.nameLong')
        : '',
    limit: checkLimit(f.limit, f.unit),
    threshold: checkThreshold(f.threshold),
    anchor: checkAnchor(f.anchor, f.schedule),
    onHold: checkRange(f.onHoldDays, 1, 3650, t('subForm.onHold')),
    ...checkSpeedForm(f),
  });
}

/** The fields both addSubscriber and updateSubscriber take: every one (empty = none). */
function fields(f: SubscriberForm) {
  const text = (v: string) => v.trim() || null;
  return {
    name: f.name.trim(),
    email: text(f.email),
    telegram_chat_id: text(f.telegram),
    language: f.language || null,
    note: text(f.note),
    traffic_limit: f.limit === '' ? null : toBytes(Number(f.limit), f.unit),
    expiry_date: f.expiry ? new Date(f.expiry).toISOString() : null,
    traffic_warn_threshold: Number(f.threshold),
    reset_schedule: f.schedule,
    reset_anchor:
      (f.schedule === 'weekly' || f.schedule === 'monthly') && f.anchor !== ''
        ? Number(f.anchor)
        : null,
    on_hold_days: f.onHoldDays === '' ? null : Number(f.onHoldDays),
    ...speedBody(f),
  };
}

/** addSubscriber: the subscriber and one peer, named after it, on each chosen configuration. */
export function addSubscriberBody(f: SubscriberForm) {
  const base = fields(f);
  return {
    ...base,
    peers: f.configurations.map((configuration) => ({ configuration, name: base.name })),
  };
}

/**
 * updateSubscriber: the fields that differ from the subscriber's (so saving a note does not touch
 * the expiry the panel set at the first connection, nor re-send a date rounded to the minute).
 */
export function updateSubscriberBody(f: SubscriberForm, was: SubscriberJson) {
  const now = fields(f);
  const before = fields(subscriberFormOf(was));
  const changed = Object.fromEntries(
    Object.entries(now).filter(
      ([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof typeof before]),
    ),
  ) as Partial<typeof now>;
  return { id: was.id, ...changed };
}
