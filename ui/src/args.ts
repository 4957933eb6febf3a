// Arguments typed on one line, split the way a shell would split them (quotes and
// backslashes) but never run through a shell: the result is an argv list.

/** Splits `a "b c" 'd'` into `["a", "b c", "d"]`; null when a quote is left open. */
export function splitArgs(text: string): string[] | null {
  const out: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (c === "\\" && i + 1 < text.length && (quote === null || '"\\$`'.includes(text.charAt(i + 1)))) {
      word += text.charAt(++i);
      inWord = true;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) out.push(word);
  return out;
}

/** The inverse of `splitArgs`: quotes arguments that need it. */
export function joinArgs(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}
