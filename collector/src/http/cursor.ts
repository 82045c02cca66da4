import { z } from 'zod';
import type { ViolationKey } from '../store/violationQueries.js';

/*
 * A page cursor is opaque to clients: base64url of "<timestamp in µs>.<id>", the keyset of
 * the last row served. Decoding validates it like any other parameter.
 */

export function encodeCursor(key: ViolationKey): string {
  return Buffer.from(`${key.micros}.${key.id}`, 'utf8').toString('base64url');
}

export const cursorParam = z.string().transform((s, ctx) => {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(s) ? Buffer.from(s, 'base64url').toString('utf8') : '';
  const m = /^(-?\d{1,18})\.([1-9]\d{0,15})$/.exec(decoded);
  const id = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isSafeInteger(id)) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued; pass next_cursor from the previous page unchanged' });
    return z.NEVER;
  }
  return { micros: m[1]!, id } satisfies ViolationKey;
});
