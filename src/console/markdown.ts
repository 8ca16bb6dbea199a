/**
 * Markdown (model answers, hints) rendered for the terminal with marked + marked-terminal: bold,
 * lists and code blocks instead of raw `**` and fences. Loaded on first use: the renderer pulls in a
 * syntax highlighter that would otherwise slow down the console's start.
 */
let renderer: Promise<(markdown: string) => string> | undefined;

async function load(width: number): Promise<(markdown: string) => string> {
  const [{ Marked }, { markedTerminal }] = await Promise.all([import("marked"), import("marked-terminal")]);
  const marked = new Marked(markedTerminal({ reflowText: true, width, tab: 2 }) as never);
  return (markdown) => String(marked.parse(markdown, { async: false })).replace(/\n{3,}/g, "\n\n").trimEnd();
}

export async function renderMarkdown(markdown: string, width = Math.min(process.stdout.columns || 96, 100)): Promise<string> {
  renderer ??= load(width);
  return (await renderer)(markdown);
}
