/** A peer's speed limits in bits per second, from the peer's point of view; null = none. */
export interface RateLimit {
  /** What the node sends the peer (the interface's egress). */
  readonly downloadBps: number | null;
  /** What the peer sends the node (the interface's ingress, shaped on its IFB device). */
  readonly uploadBps: number | null;
}

export { RATE_BPS } from '../../shared/rates.js';

export const NO_LIMIT: RateLimit = { downloadBps: null, uploadBps: null };

/** True when the limit shapes at least one direction. */
export const isLimited = (l: RateLimit): boolean => l.downloadBps !== null || l.uploadBps !== null;

/** The direction a rate applies to, and the device side that shapes it. */
export type ShapeSide = 'download' | 'upload';
export const SHAPE_SIDES: readonly ShapeSide[] = ['download', 'upload'];

export const rateOf = (l: RateLimit, side: ShapeSide): number | null =>
  side === 'download' ? l.downloadBps : l.uploadBps;
