/** The subscriber page's words, per language. `{x}` marks a value put in. */
export interface PageText {
  readonly dir: 'ltr' | 'rtl';
  readonly active: string;
  readonly onHold: string;
  readonly throttled: string;
  readonly cutLimit: string;
  readonly cutLimitReset: string;
  readonly cutExpired: string;
  readonly cutManual: string;
  readonly used: string;
  readonly remaining: string;
  readonly unlimited: string;
  readonly periodStarted: string;
  readonly nextReset: string;
  readonly expiresIn: string;
  readonly expiredOn: string;
  readonly noExpiry: string;
  readonly startsOnFirstUse: string;
  readonly peerUsage: string;
  readonly download: string;
  readonly scan: string;
  readonly noKey: string;
  /** The share page (`/share?ShareID=`). */
  readonly shareTitle: string;
  readonly shareHint: string;
  readonly shareUntil: string;
  readonly shareGone: string;
  readonly days: (n: number) => string;
}

const en: PageText = {
  dir: 'ltr',
  active: 'Active: you can connect.',
  onHold: 'Not started yet: your plan starts at your first connection and then runs {n}.',
  throttled:
    'Slowed down: your data is used up. Full speed comes back when it renews, or sooner if your provider adds data.',
  cutLimit: 'Cut off: the data of this period is used up. Ask your provider for more data.',
  cutLimitReset:
    'Cut off: the data of this period is used up. It comes back on {date}, or sooner if your provider adds data.',
  cutExpired: 'Cut off: your plan ended on {date}. Ask your provider to extend it.',
  cutManual: 'Suspended by your provider. Please contact them.',
  used: 'Used {used} of {limit}',
  remaining: '{left} left',
  unlimited: 'Used {used} (no data limit)',
  periodStarted: 'This period started on {date}.',
  nextReset: 'Your data resets on {date}.',
  expiresIn: 'Ends in {n} ({date}).',
  expiredOn: 'Ended on {date}.',
  noExpiry: 'No end date.',
  startsOnFirstUse: 'The end date is set at your first connection.',
  peerUsage: '{used} used on this server',
  download: 'Download config',
  scan: 'Scan with the WireGuard app',
  noKey: 'This file has no private key: put in the key of the device this connection was made for.',
  shareTitle: 'Your WireGuard connection',
  shareHint: 'Scan the code with the WireGuard app, or download the file and import it.',
  shareUntil: 'This link works until {date}.',
  shareGone: 'This link has expired or is not valid. Ask whoever shared it for a new one.',
  days: (n) => (n === 1 ? '1 day' : `${n} days`),
};

const de: PageText = {
  dir: 'ltr',
  active: 'Aktiv: Sie können sich verbinden.',
  onHold: 'Noch nicht gestartet: Ihr Tarif beginnt mit der ersten Verbindung und läuft dann {n}.',
  throttled:
    'Gedrosselt: Ihr Datenvolumen ist aufgebraucht. Die volle Geschwindigkeit kommt mit dem neuen Volumen zurück, oder früher, wenn Ihr Anbieter Volumen hinzufügt.',
  cutLimit:
    'Gesperrt: das Datenvolumen dieses Zeitraums ist aufgebraucht. Fragen Sie Ihren Anbieter nach mehr Volumen.',
  cutLimitReset:
    'Gesperrt: das Datenvolumen dieses Zeitraums ist aufgebraucht. Ab {date} geht es wieder, oder früher, wenn Ihr Anbieter Volumen hinzufügt.',
  cutExpired:
    'Gesperrt: Ihr Tarif ist am {date} abgelaufen. Bitten Sie Ihren Anbieter um Verlängerung.',
  cutManual: 'Von Ihrem Anbieter gesperrt. Bitte wenden Sie sich an ihn.',
  used: '{used} von {limit} verbraucht',
  remaining: '{left} übrig',
  unlimited: '{used} verbraucht (ohne Datenlimit)',
  periodStarted: 'Dieser Zeitraum begann am {date}.',
  nextReset: 'Ihr Volumen wird am {date} zurückgesetzt.',
  expiresIn: 'Endet in {n} ({date}).',
  expiredOn: 'Endete am {date}.',
  noExpiry: 'Kein Enddatum.',
  startsOnFirstUse: 'Das Enddatum wird bei der ersten Verbindung festgelegt.',
  peerUsage: '{used} auf diesem Server verbraucht',
  download: 'Konfiguration herunterladen',
  scan: 'Mit der WireGuard-App scannen',
  noKey:
    'Diese Datei enthält keinen privaten Schlüssel: tragen Sie den Schlüssel des Geräts ein, für das diese Verbindung angelegt wurde.',
  shareTitle: 'Ihre WireGuard-Verbindung',
  shareHint:
    'Scannen Sie den Code mit der WireGuard-App, oder laden Sie die Datei herunter und importieren Sie sie.',
  shareUntil: 'Dieser Link gilt bis {date}.',
  shareGone:
    'Dieser Link ist abgelaufen oder ungültig. Bitten Sie die Person, die ihn geteilt hat, um einen neuen.',
  days: (n) => (n === 1 ? '1 Tag' : `${n} Tagen`),
};

const ru: PageText = {
  dir: 'ltr',
  active: 'Активна: можно подключаться.',
  onHold: 'Ещё не начата: подписка начнётся при первом подключении и продлится {n}.',
  throttled:
    'Скорость снижена: трафик исчерпан. Полная скорость вернётся с новым трафиком или раньше, если поставщик добавит трафик.',
  cutLimit: 'Отключена: трафик этого периода исчерпан. Попросите у поставщика ещё трафика.',
  cutLimitReset:
    'Отключена: трафик этого периода исчерпан. Доступ вернётся {date} или раньше, если поставщик добавит трафик.',
  cutExpired: 'Отключена: подписка закончилась {date}. Попросите поставщика продлить её.',
  cutManual: 'Приостановлена поставщиком. Свяжитесь с ним.',
  used: 'Использовано {used} из {limit}',
  remaining: 'Осталось {left}',
  unlimited: 'Использовано {used} (без ограничения трафика)',
  periodStarted: 'Текущий период начался {date}.',
  nextReset: 'Трафик обнулится {date}.',
  expiresIn: 'Закончится через {n} ({date}).',
  expiredOn: 'Закончилась {date}.',
  noExpiry: 'Без даты окончания.',
  startsOnFirstUse: 'Дата окончания будет назначена при первом подключении.',
  peerUsage: 'На этом сервере использовано {used}',
  download: 'Скачать конфигурацию',
  scan: 'Отсканируйте в приложении WireGuard',
  noKey:
    'В этом файле нет закрытого ключа: впишите ключ устройства, для которого создано это подключение.',
  shareTitle: 'Ваше подключение WireGuard',
  shareHint: 'Отсканируйте код в приложении WireGuard или скачайте файл и импортируйте его.',
  shareUntil: 'Ссылка действует до {date}.',
  shareGone:
    'Срок действия ссылки истёк, или она недействительна. Попросите новую у того, кто её прислал.',
  days: (n) => {
    const d = n % 10;
    const h = n % 100;
    const w =
      d === 1 && h !== 11 ? 'день' : d >= 2 && d <= 4 && (h < 12 || h > 14) ? 'дня' : 'дней';
    return `${n} ${w}`;
  },
};

const fa: PageText = {
  dir: 'rtl',
  active: 'فعال: می‌توانید وصل شوید.',
  onHold: 'هنوز شروع نشده: اشتراک شما با اولین اتصال شروع می‌شود و {n} ادامه دارد.',
  throttled:
    'سرعت کم شده: حجم شما تمام شده است. با تمدید حجم، یا زودتر اگر ارائه‌دهنده حجم اضافه کند، سرعت کامل برمی‌گردد.',
  cutLimit: 'قطع شده: حجم این دوره تمام شده است. از ارائه‌دهنده حجم بیشتر بخواهید.',
  cutLimitReset:
    'قطع شده: حجم این دوره تمام شده است. در {date} دوباره وصل می‌شود، یا زودتر اگر ارائه‌دهنده حجم اضافه کند.',
  cutExpired: 'قطع شده: اشتراک شما در {date} به پایان رسید. از ارائه‌دهنده تمدید بخواهید.',
  cutManual: 'توسط ارائه‌دهنده متوقف شده است. با او تماس بگیرید.',
  used: '{used} از {limit} مصرف شده',
  remaining: '{left} باقی مانده',
  unlimited: '{used} مصرف شده (بدون محدودیت حجم)',
  periodStarted: 'این دوره در {date} شروع شد.',
  nextReset: 'حجم شما در {date} از نو شروع می‌شود.',
  expiresIn: '{n} دیگر تمام می‌شود ({date}).',
  expiredOn: 'در {date} تمام شد.',
  noExpiry: 'بدون تاریخ پایان.',
  startsOnFirstUse: 'تاریخ پایان با اولین اتصال تعیین می‌شود.',
  peerUsage: '{used} روی این سرور مصرف شده',
  download: 'دریافت فایل پیکربندی',
  scan: 'با برنامهٔ WireGuard اسکن کنید',
  noKey: 'این فایل کلید خصوصی ندارد: کلید دستگاهی را که این اتصال برای آن ساخته شده وارد کنید.',
  shareTitle: 'اتصال WireGuard شما',
  shareHint: 'کد را با برنامهٔ WireGuard اسکن کنید، یا فایل را دریافت و وارد کنید.',
  shareUntil: 'این پیوند تا {date} معتبر است.',
  shareGone: 'این پیوند منقضی شده یا معتبر نیست. از کسی که آن را فرستاده پیوند تازه بخواهید.',
  days: (n) => `${n} روز`,
};

/** The page's languages (the first is the default). */
export const PAGE_LANGUAGES = { en, de, ru, fa } as const;
export type PageLanguage = keyof typeof PAGE_LANGUAGES;

/** The language to answer in: `?lang=` when it is one, else the best of Accept-Language. */
export function pageLanguage(acceptLanguage: string | undefined, asked?: string): PageLanguage {
  const known = (l: string): l is PageLanguage => Object.hasOwn(PAGE_LANGUAGES, l);
  if (asked && known(asked)) return asked;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q[1]) : 1 };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const w of wanted) if (known(w.lang)) return w.lang;
  return 'en';
}

/** Puts values into a text (`{name}`). */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}
