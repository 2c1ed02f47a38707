import type { ClientConfigFile } from '../peers/client-configs.js';
import { clientConfigOf } from '../peers/client-configs.js';
import { findConfiguration } from '../peers/find-configuration.js';
import { toPeerJson } from '../peers/peer-json.js';
import type { PeerReader } from '../peers/ports.js';
import { peerKey } from '../peers/update-peer.js';
import { invalidInput, notFound } from '../errors.js';
import { emailReady, isEmailAddress } from './notification-settings.js';
import type { AttemptOutcome, MailTransport, NotificationSettingsStore } from './ports.js';

export interface EmailServiceDeps {
  readonly settings: Pick<NotificationSettingsStore, 'read'>;
  readonly mail: MailTransport;
  readonly peers: Pick<PeerReader, 'findConfiguration' | 'peerByKey'>;
  readonly now: () => Date;
}

/** What WGDashboard 4.3's email/send and email/preview take. */
export interface EmailInput {
  readonly Receiver?: string;
  readonly Subject?: string;
  readonly Body?: string;
  readonly ConfigurationName?: string;
  readonly Peer?: string;
  readonly IncludeAttachment?: boolean;
}

/**
 * `{{ peer.name }}`, `{{ configurationFile.file }}`: the variables of 4.3's Jinja templates
 * (dotted names only; no logic). An unknown name renders as nothing.
 */
export function renderTemplate(template: string, vars: Readonly<Record<string, unknown>>): string {
  return template.replace(
    /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}/g,
    (_m, path: string) => {
      let v: unknown = vars;
      for (const part of path.split('.')) {
        if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return '';
        v = (v as Record<string, unknown>)[part];
      }
      return v === null || v === undefined
        ? ''
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v as string | number | boolean);
    },
  );
}

/** WGDashboard 4.3's e-mail routes: ready, a peer's config by e-mail, a preview. */
export class EmailService {
  constructor(private readonly deps: EmailServiceDeps) {}

  async ready(): Promise<boolean> {
    return emailReady(await this.deps.settings.read());
  }

  private async peerVars(configName: string, id: string) {
    const configuration = await findConfiguration(this.deps.peers, configName);
    const key = peerKey('Peer', id);
    const peer = await this.deps.peers.peerByKey(configuration.id, key);
    if (!peer) throw notFound('peer', key);
    let file: ClientConfigFile | null = null;
    if (peer.private_key !== null) file = clientConfigOf(configuration, peer);
    return {
      vars: {
        peer: toPeerJson(peer, this.deps.now()),
        configurationFile: file ?? { fileName: '', file: '' },
      },
      file,
    };
  }

  async preview(input: EmailInput): Promise<{ Subject: string; Body: string }> {
    if (!input.ConfigurationName || !input.Peer)
      throw invalidInput('ConfigurationName', 'Please specify configuration and peer');
    const { vars } = await this.peerVars(input.ConfigurationName, input.Peer);
    return {
      Subject: renderTemplate(input.Subject ?? '', vars),
      Body: renderTemplate(input.Body ?? '', vars),
    };
  }

  /** Sends at once; the config file is attached when asked (it holds the peer's private key). */
  async send(input: EmailInput): Promise<AttemptOutcome> {
    if (!input.Receiver || input.Subject === undefined)
      throw invalidInput('Receiver', 'Please at least specify receiver and subject');
    if (!isEmailAddress(input.Receiver))
      throw invalidInput('Receiver', `"${input.Receiver}" is not an e-mail address`);
    const s = await this.deps.settings.read();
    if (!emailReady(s)) return { ok: false, message: 'SMTP not configured' };
    let subject = input.Subject;
    let body = input.Body ?? '';
    let attachment: { filename: string; content: string } | undefined;
    if (input.ConfigurationName && input.Peer) {
      const { vars, file } = await this.peerVars(input.ConfigurationName, input.Peer);
      subject = renderTemplate(subject, vars);
      body = renderTemplate(body, vars);
      if (input.IncludeAttachment && file)
        attachment = { filename: `${file.fileName}.conf`, content: file.file };
    }
    const outcome = await this.deps.mail.send(s.smtp, {
      from: s.smtp.from,
      to: input.Receiver,
      subject,
      text: body,
      ...(attachment && { attachments: [attachment] }),
    });
    return outcome.ok
      ? outcome
      : { ok: false, message: `Send failed | Reason: ${outcome.message}` };
  }
}
