/** Parameters of seeded test generators, checked: a wrong name or type is a content bug. */

export type Generator = (params: Record<string, unknown>, rng: () => number) => unknown[];

/** A generated test names a generator or a parameter it does not have: a content bug, not a user error. */
export class GeneratorParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GeneratorParamError";
  }
}

export function intParam(params: Record<string, unknown>, name: string, fallback?: number): number {
  const value = params[name] ?? fallback;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new GeneratorParamError(`generator param "${name}" must be an integer (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function numParam(params: Record<string, unknown>, name: string, fallback?: number): number {
  const value = params[name] ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new GeneratorParamError(`generator param "${name}" must be a number (got ${JSON.stringify(value)})`);
  }
  return value;
}

