/**
 * DNS rebinding defence for `etl docs serve`: a page on an attacker's domain can point that domain
 * at 127.0.0.1 and read a loopback server through the victim's browser; the browser still sends the
 * attacker's name in Host. So a request is served only when its Host names this server: the bound
 * address, `localhost` (for loopback), the machine's name (beyond loopback), an IP literal (never a
 * rebinding vector) when bound to every interface, or a name allowed with --allow-host; and the
 * bound port.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.')) || h.startsWith('::ffff:127.');
}

const isWildcard = (host: string) => ['0.0.0.0', '::', '[::]', '::0'].includes(host);

export interface HostPolicy {
  bound: string;
  port: number;
  allowed: string[];
}

/** The Host header's name and port (lowercase, IPv6 brackets removed), or undefined when it is not a host. */
function parseHost(header: string): { name: string; port: string } | undefined {
  try {
    const url = new URL(`http://${header}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return { name: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port: url.port };
  } catch {
    return undefined;
  }
}

/** Undefined when the Host header names this server; otherwise why not (for the 421 answer and the log). */
export function hostProblem(header: string | undefined, policy: HostPolicy): string | undefined {
  if (!header) return 'no Host header';
  const parsed = parseHost(header);
  if (!parsed) return `Host '${header}' is not a host name`;
  if ((parsed.port || '80') !== String(policy.port)) return `Host '${header}' names another port than ${policy.port}`;
  const bound = policy.bound.replace(/^\[|\]$/g, '').toLowerCase();
  const names = new Set([bound, ...policy.allowed.map((a) => a.toLowerCase())]);
  if (isLoopback(bound)) ['localhost', '127.0.0.1', '::1'].forEach((n) => names.add(n));
  else names.add(hostname().toLowerCase());
  if (names.has(parsed.name) || (isWildcard(policy.bound) && (isIP(parsed.name) !== 0 || parsed.name === 'localhost'))) return undefined;
  return `Host '${header}' is not this server (bound to ${policy.bound}:${policy.port})`;
}

/** The stderr warning for an address beyond loopback, or undefined. */
export function exposureWarning(host: string): string | undefined {
  if (isLoopback(host)) return undefined;
  return (
    `docs serve is listening on ${host}, beyond loopback: anyone who can reach this machine on that address can read the docs site ` +
    `(models, columns, lineage, classifications). Use --host 127.0.0.1 unless you mean to share it.`
  );
}
