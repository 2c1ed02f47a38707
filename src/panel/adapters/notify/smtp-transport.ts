import nodemailer from 'nodemailer';
import type { MailTransport } from '../../app/notifications/ports.js';

const SMTP_TIMEOUT_MS = 10_000;

/**
 * Sends one e-mail through nodemailer with the settings in force (a transport per message: the
 * settings may change between two). `tls`: TLS from the start (usually port 465); `starttls`:
 * plain, then STARTTLS, which must succeed; `none`: plain (only for a relay on the same host or
 * network). The password never enters a message or a log line.
 */
export function createSmtpTransport(): MailTransport {
  return {
    async send(smtp, mail) {
      const transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.security === 'tls',
        requireTLS: smtp.security === 'starttls',
        ignoreTLS: smtp.security === 'none',
        ...(smtp.username !== '' && { auth: { user: smtp.username, pass: smtp.password ?? '' } }),
        tls: { rejectUnauthorized: smtp.verify_tls },
        connectionTimeout: SMTP_TIMEOUT_MS,
        greetingTimeout: SMTP_TIMEOUT_MS,
        socketTimeout: SMTP_TIMEOUT_MS,
      });
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html !== undefined && { html: mail.html }),
          ...(mail.attachments && {
            attachments: mail.attachments.map((a) => ({
              filename: a.filename,
              content: a.content,
            })),
          }),
        });
        return { ok: true, message: `SMTP: ${String(info.response)}` };
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        const scrubbed = smtp.password ? msg.split(smtp.password).join('***') : msg;
        return { ok: false, message: `SMTP error: ${scrubbed}` };
      } finally {
        transport.close();
      }
    },
  };
}
