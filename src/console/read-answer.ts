/**
 * Reads one reply from the terminal: lines until `blankLinesToEnd` blank lines in a row (two for code,
 * so code may contain blank lines) or end of input. A reply that is a single line accepted by
 * `endsAtFirstBlank` (a command such as `hint`) ends at the first blank line even where code needs two.
 * Resolves undefined at end of input with nothing typed.
 */
export async function readReply(
  lines: AsyncIterator<string>,
  blankLinesToEnd: number,
  endsAtFirstBlank: (line: string) => boolean = () => false,
): Promise<string | undefined> {
  const collected: string[] = [];
  let blanks = 0;
  for (;;) {
    const next = await lines.next();
    if (next.done) return collected.length > 0 ? collected.join("\n").trim() : undefined;
    if (next.value.trim() === "") {
      blanks++;
      const single = collected.length === 1 && endsAtFirstBlank(collected[0]!);
      if (collected.length > 0 && (blanks >= blankLinesToEnd || single)) return collected.join("\n").trim();
      if (collected.length > 0) collected.push("");
      continue;
    }
    blanks = 0;
    collected.push(next.value);
  }
}
