/** `/interview ask <round>` with a name that is neither a round id nor an alias. */
export class UnknownRoundError extends Error {
  constructor(
    readonly name_: string,
    readonly known: string[],
  ) {
    super(`Unknown round "${name_}". Rounds: ${known.join(", ")}`);
    this.name = "UnknownRoundError";
  }
}
