/**
 * Text of a project file without a UTF-8 byte-order mark: editors on Windows write one, and it is no
 * character of the file (an editor's column 1 is the character after it), so positions stay right
 * once it is gone, and valid SQL is no longer a syntax error at 1:1.
 */
export const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
