import { z } from 'zod';
import type { ViolationKey } from '../store/violationQueries.js';

/*
 * A page cursor is opaque to clients: base64url of "<timestamp in µs>.<id>", the keyset of
 * the last row served. Decoding validates it like any other parameter.
 */

/** The timestamps a cursor can carry: those the API accepts (1970 to 9999), in µs. */
const MIN_MICROS = 0;
const MAX_MICROS = Date.UTC(9999, 11, 31, 23, 59, 59) * 1000;

export function encodeCursor(key: ViolationKey): string {
  return Buffer.from(`${key.micros}.${key.id}`, 'utf8').toString('base64url');
}

export const cursorParam = z.string().transform((s, ctx) => {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(s) ? Buffer.from(s, 'base64url').toString('utf8') : '';
  const m = /^(-?\d{1,18})\.([1-9]\d{0,15})$/.exec(decoded);
  const id = m ? Number(m[2]) : Number.NaN;
  // A forged timestamp outside what Postgres can hold was a 500 (timestamp out of range).
  const micros = m ? Number(m[1]) : Number.NaN;
  if (!m || !Number.isSafeInteger(id) || !(micros >= MIN_MICROS && micros <= MAX_MICROS)) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued; pass next_cursor from the previous page unchanged' });
    return z.NEVER;
  }
  return { micros: m[1]!, id } satisfies ViolationKey;
});
