import { InvalidDocumentPathError } from "../store/errors.js";

/**
 * Refuses a document path that could name something outside its store, whatever keeps the documents:
 * `..` or `.` segments, absolute paths, empty segments, backslashes, NUL and other control characters.
 * Paths are relative, `/`-separated and end in `.json` (the engine builds them with safeSegment).
 */
export function checkDocumentPath(path: string): string {
  const refuse = (reason: string): never => {
    throw new InvalidDocumentPathError(path, reason);
  };
  if (typeof path !== "string" || path === "") refuse("it is empty");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) refuse("it contains a control character");
  if (path.includes("\\")) refuse("it contains a backslash");
  if (path.startsWith("/")) refuse("it is absolute");
  if (path.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) refuse("it has an empty, '.' or '..' segment");
  if (!path.endsWith(".json")) refuse("it does not end in .json");
  return path;
}
