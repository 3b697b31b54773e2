/**
 * Text from the workspace (a diff, a commit subject, a file name the agent chose) made safe to put
 * on a terminal: control characters, which could move the cursor, rewrite what is shown above,
 * retitle the window or write the clipboard, are shown as `^[`-style or `<U+0085>`-style marks
 * instead of acting. Tabs stay, and newlines unless `oneLine`.
 */
export function visibleText(text: string, options: { oneLine?: boolean } = {}): string {
  // C0 controls but tab and newline, DEL, and the C1 range; a newline too on one line.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const pattern = options.oneLine ? /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g : /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    if (code === 0x7f) return '^?';
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}
