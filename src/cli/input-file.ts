import { readFile } from "node:fs/promises";

/** Why an input file cannot be used, in words (exit code 2). */
export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputFileError";
  }
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "it is a directory, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the path is too long",
  EMFILE: "too many open files",
};

/**
 * Reads an answer or solution file as UTF-8 text. Refuses, with a message, what cannot be an answer:
 * a missing or unreadable path, an empty or whitespace-only file, and binary content (NUL bytes or
 * bytes that are not UTF-8), which would otherwise be graded or echoed back as garbage.
 */
export async function readInputFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new InputFileError(`cannot read ${path}: ${ERRNO_WORDS[code] ?? (error as Error).message}`);
  }
  if (bytes.length === 0) throw new InputFileError(`${path} is empty: write your answer in it first`);
  if (bytes.includes(0)) throw new InputFileError(`${path} looks like a binary file, not text`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputFileError(`${path} is not UTF-8 text (a binary file, or another encoding)`);
  }
  if (text.trim() === "") throw new InputFileError(`${path} contains only whitespace: write your answer in it first`);
  return text.replace(/^\uFEFF/, "");
}

/** `--lang` values people type, as the judge's language names. */
const LANGUAGES: Record<string, "python" | "javascript"> = {
  python: "python",
  py: "python",
  python3: "python",
  javascript: "javascript",
  js: "javascript",
  node: "javascript",
};

export function parseLanguage(value: string): "python" | "javascript" | undefined {
  return LANGUAGES[value.trim().toLowerCase()];
}
