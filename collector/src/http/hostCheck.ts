// DNS rebinding: a web page on evil.example can make its own name resolve to 127.0.0.1 and then
// read every GET of a collector listening there, since the browser thinks it talks to
// evil.example. A collector bound to a loopback address therefore answers only requests whose
// Host header names a loopback host (docs/reliability.md, "Secrets and exposure").
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host.endsWith('.localhost');
}

/** The host part of a Host header ("name:port", "[v6]:port"), lower-cased. */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** For a collector bound to `bindHost`: refuses (421) requests whose Host is not loopback when it listens on loopback only. */
export function loopbackHostCheck(bindHost: string): RequestHandler | null {
  if (!isLoopbackHost(bindHost)) return null;
  return (req, _res, next) => {
    const header = req.headers.host ?? '';
    if (isLoopbackHost(hostName(header))) return next();
    next(
      new HttpError(
        421,
        `this collector listens on ${bindHost} and answers only requests addressed to it (Host: localhost or 127.0.0.1), not to ${JSON.stringify(header.slice(0, 80))}`,
      ),
    );
  };
}
