/**
 * Finds text shaped like a credential: a URL with `user:password@`, a PEM private key block, an AWS
 * access key id, a JWT, a `password=...` (or `"password": "..."`) pair. Pure and total: any string
 * in, the findings out, never throws. Used on everything the compiler writes (manifest, plan,
 * ingestion jobs: compiler/security/artifact-scan.ts), on source declarations (a literal in
 * `loginUrl`), and by the docs redaction (docs-site/generator/redact.ts).
 *
 * What is not a finding: `{ env: NAME }` references (a name, not a value), `${...}` / `{{...}}` /
 * `env(...)` placeholders as values, a URL with a user name and no password.
 */

export type CredentialKind = 'url-userinfo' | 'pem-private-key' | 'aws-access-key' | 'jwt' | 'password-pair';

export interface CredentialFinding {
  kind: CredentialKind;
  /** Offset of the match in the scanned text. */
  index: number;
  length: number;
  /** The match with the secret part masked, safe to print. */
  excerpt: string;
}

export const CREDENTIAL_DESCRIPTIONS: Record<CredentialKind, string> = {
  'url-userinfo': 'a URL with user:password@',
  'pem-private-key': 'a PEM private key block',
  'aws-access-key': 'an AWS access key id',
  jwt: 'a JWT-looking token',
  'password-pair': 'a password=... pair',
};

interface Rule {
  kind: CredentialKind;
  pattern: RegExp;
  /** The match made safe to print. */
  mask(match: RegExpExecArray): string;
  /** False for matches that are only placeholders. */
  accept?(match: RegExpExecArray): boolean;
}

const PLACEHOLDER = /^(\$\{|\{\{|env\(|<|%|\*+$|\[redacted\]$)/i;

const RULES: Rule[] = [
  {
    kind: 'url-userinfo',
    // scheme://user:password@host, the password at least one character and not a placeholder.
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:'"`<>]+):([^\s/?#@'"`<>]+)@/gi,
    mask: (m) => `${m[1]}${m[2]}:***@`,
    accept: (m) => !PLACEHOLDER.test(m[3]!),
  },
  {
    kind: 'pem-private-key',
    pattern: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY)-----/g,
    mask: (m) => `-----BEGIN ${m[1]}----- ***`,
  },
  {
    kind: 'aws-access-key',
    pattern: /\b((?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16})\b/g,
    mask: (m) => `${m[1]!.slice(0, 4)}***`,
  },
  {
    kind: 'jwt',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    mask: () => 'eyJ***',
  },
  {
    kind: 'password-pair',
    // `password=hunter2` (connection strings, query strings) or `"password": "hunter2"` (JSON, YAML).
    pattern: /(?<![A-Za-z0-9_])((?:pass(?:word|wd|phrase)?|pwd|client[_-]?secret|secret[_-]?key|api[_-]?key|access[_-]?token|refresh[_-]?token|auth[_-]?token))(?:=([^\s&;,'"`)}\]]{3,})|(["'])\s*:\s*(["'])([^"'\n]{3,})\4)/gi,
    mask: (m) => (m[2] !== undefined ? `${m[1]}=***` : `${m[1]}${m[3]}: ${m[4]}***${m[4]}`),
    accept: (m) => !PLACEHOLDER.test(m[2] ?? m[5] ?? ''),
  },
];

/**
 * Text every rule's match contains (case-insensitive: a superset of each rule's own literal). One
 * pass of it rules out almost every string, instead of one pass per rule: the compile scans every
 * string of the manifest and plan (seconds at 10,000 models otherwise).
 */
const TRIGGER = /:\/\/|-----BEGIN|AKIA|ASIA|AIDA|AROA|eyJ|pass|pwd|secret|api[_-]?key|token/i;

/** Every credential-shaped piece of `text`, in order of position. */
export function scanCredentials(text: string): CredentialFinding[] {
  const out: CredentialFinding[] = [];
  if (typeof text !== 'string' || text.length === 0 || !TRIGGER.test(text)) return out;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      if (m[0].length === 0) rule.pattern.lastIndex++;
      else if (!rule.accept || rule.accept(m)) out.push({ kind: rule.kind, index: m.index, length: m[0].length, excerpt: rule.mask(m) });
    }
  }
  return out.sort((a, b) => a.index - b.index || a.kind.localeCompare(b.kind));
}

/** `text` with every finding replaced by its masked excerpt. */
export function maskCredentials(text: string): string {
  const findings = scanCredentials(text);
  let out = '';
  let at = 0;
  for (const f of findings) {
    if (f.index < at) continue;
    out += text.slice(at, f.index) + f.excerpt;
    at = f.index + f.length;
  }
  return out + text.slice(at);
}

/** 1-based line and column of an offset, to say where in an artifact a finding is. */
export function lineColumnOf(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}
