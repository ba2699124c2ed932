/** Text that XML 1.0 can carry: control characters it forbids (even as references) become `\xNN`. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlText(s: string): string {
  return s.replace(FORBIDDEN, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** An attribute value on one line (parsers fold line breaks in attributes into spaces anyway). */
export function xmlAttr(s: string): string {
  return xmlText(s.split(/\r?\n/, 1)[0] ?? '');
}
