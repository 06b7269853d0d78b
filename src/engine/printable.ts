/**
 * Text from scenarios and logs made safe to print: C0 and C1 controls (ESC, the CSI and OSC that
 * start terminal escapes), DEL and line breaks become `\xNN` / `\n`, so a device name or a log
 * line cannot move the cursor, open a hyperlink, or forge a `file:line:col: error` line that a
 * problem matcher parses. Tabs stay.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * A name in the middle of a hover's Markdown line: printable, with the characters that open
 * emphasis, code, links, HTML, entities or tables backslash-escaped so the name stays literal text.
 */
export function markdownText(text: string): string {
  return printable(text).replace(/[\\`*_[\]<>|~!&]/g, '\\$&');
}
