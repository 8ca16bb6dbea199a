/** The coding round's one tokeniser (word count, BM25): lowercase, then maximal runs of a-z and 0-9. */
export function tokenize(line: string): string[] {
  return line.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}
