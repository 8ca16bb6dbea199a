/**
 * A visible "working" line while code runs or an answer is graded, so a 5–12 s wait is never silent.
 * In a terminal the line counts the seconds in place; elsewhere it is printed once.
 */
export function showWorking(out: NodeJS.WritableStream, label: string, interactive: boolean): () => void {
  const started = Date.now();
  if (!interactive) {
    out.write(`${label}…\n`);
    return () => undefined;
  }
  const draw = () => out.write(`\r${label}… ${Math.floor((Date.now() - started) / 1000)} s`);
  draw();
  const timer = setInterval(draw, 1000);
  return () => {
    clearInterval(timer);
    out.write(`\r${label}… done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  };
}

/** Runs `work` with a working line shown until it settles. */
export async function withWorking<T>(out: NodeJS.WritableStream, label: string, interactive: boolean, work: () => Promise<T>): Promise<T> {
  const stop = showWorking(out, label, interactive);
  try {
    return await work();
  } finally {
    stop();
  }
}
