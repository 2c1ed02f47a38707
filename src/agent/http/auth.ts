import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer TOKEN` in constant time. Both sides are hashed first so the
 * comparison takes the same time whatever the length of what was sent.
 */
export function createBearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (header) => {
    const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = createHash('sha256')
      .update(m?.[1] ?? '')
      .digest();
    return timingSafeEqual(given, expected) && m !== null;
  };
}
