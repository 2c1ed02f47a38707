import type { TemplateFacts } from '../notification.js';

/** What a template gives: a subject and paragraphs (rendered as text and as HTML). */
export interface Message {
  readonly subject: string;
  readonly paragraphs: readonly string[];
}

/** What the panel's messages are about. */
export type MessageKind =
  | 'expiring_soon'
  | 'expired'
  | 'traffic_warning'
  | 'traffic_exceeded'
  | 'restricted'
  | 'restored'
  | 'usage_reset'
  | 'activated'
  | 'node_down'
  | 'node_up'
  | 'interface_missing'
  | 'interface_back'
  | 'test'
  | 'other';

/** The daily digest's numbers. */
export interface DigestFacts {
  readonly day: string;
  readonly nodesOffline: readonly string[];
  readonly nodesTotal: number;
  readonly peersRestricted: number;
  readonly peersExpiringSoon: number;
  /** Events of the last 24 h by type. */
  readonly eventCounts: Readonly<Record<string, number>>;
}

/**
 * One language's messages: every kind, and the digest. `expiryDate` reaches a template already
 * written in the panel's time zone (render.ts), the zone named.
 */
export interface TemplateSet {
  readonly messages: { readonly [K in MessageKind]: (f: TemplateFacts) => Message };
  readonly digest: (f: DigestFacts) => Message;
  readonly signature: string;
}
