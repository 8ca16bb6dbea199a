import { createInterface, type Interface } from "node:readline";

/** What a read returns besides a line: end of input (Ctrl-D, or a closed pipe) and Ctrl-C. */
export const END = Symbol("end of input");
export const INTERRUPT = Symbol("interrupt");
export type LineEvent = string | typeof END | typeof INTERRUPT;

/**
 * Lines typed in the terminal, one at a time. In a terminal Ctrl-D ends the current answer but not
 * the session (readline is reopened for the next one); on a pipe the end of input is final.
 */
export class LineInput {
  private rl: Interface | undefined;
  private readonly queue: LineEvent[] = [];
  private waiting: ((event: LineEvent) => void) | undefined;
  private ended = false;
  private prompt = "";

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {}

  /** True when a person is typing (a TTY): prompts and the progress ticker are shown. */
  get interactive(): boolean {
    return Boolean((this.input as { isTTY?: boolean }).isTTY && (this.output as { isTTY?: boolean }).isTTY);
  }

  /** The prompt shown before each line in a terminal (`> ` while answering). */
  setPrompt(prompt: string): void {
    this.prompt = prompt;
    this.rl?.setPrompt(prompt);
  }

  async next(): Promise<LineEvent> {
    const queued = this.queue.shift();
    if (queued !== undefined) return queued;
    if (this.ended) return END;
    this.open();
    if (this.interactive) this.rl!.prompt();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    this.ended = true;
    this.rl?.close();
  }

  private push(event: LineEvent): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(event);
    else this.queue.push(event);
  }

  private open(): void {
    if (this.rl) return;
    const terminal = this.interactive;
    const rl = createInterface({ input: this.input, output: terminal ? this.output : undefined, terminal, prompt: this.prompt });
    this.rl = rl;
    rl.on("line", (line) => this.push(line));
    rl.on("SIGINT", () => {
      this.ended = true;
      this.push(INTERRUPT);
      rl.close();
    });
    rl.on("close", () => {
      this.rl = undefined;
      // A pipe that closed has nothing more; a terminal's Ctrl-D only ends this answer.
      if (!terminal) this.ended = true;
      this.push(END);
    });
  }
}
