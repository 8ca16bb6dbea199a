/** How the offline check finds sentences in the shapes people actually type. */
import { describe, expect, it } from "vitest";
import { separateCode, splitSentences } from "../../src/engine/grading/text.js";

const texts = (t: string) => splitSentences(t).map((s) => s.text);

describe("splitSentences", () => {
  it("splits lower-case text at sentence ends but not after abbreviations, decimals or method calls", () => {
    expect(texts("we used bm25 first. then we added e.g. dense retrieval vs. sparse. auc went from 0.81 to 0.83 via map.get(i) lookups!")).toEqual([
      "we used bm25 first.",
      "then we added e.g. dense retrieval vs. sparse.",
      "auc went from 0.81 to 0.83 via map.get(i) lookups!",
    ]);
  });

  it("joins a hard-wrapped paragraph but keeps one-thought-per-line text and bullets apart", () => {
    const wrapped = [
      "The ranker is trained on clicks and add-to-carts from the search logs, and",
      "we correct position bias with inverse propensity weights estimated from a",
      "small randomised slice of traffic, clipping the largest weights at ten.",
    ].join("\n");
    expect(texts(wrapped)).toHaveLength(1);
    const mobile = "we used ndcg at 10 offline\nadd to cart rate online\nab test for two weeks";
    expect(texts(mobile)).toEqual(["we used ndcg at 10 offline", "add to cart rate online", "ab test for two weeks"]);
    expect(texts("- BM25 for recall\n- a LambdaMART ranker\n1. NDCG@10 offline")).toEqual(["BM25 for recall", "a LambdaMART ranker", "NDCG@10 offline"]);
    // A wrapped paragraph next to a code block is still recognised.
    expect(texts(`${wrapped}\n\nx = 1\ny = 2`)[0]).toContain("clipping the largest weights");
  });
});

describe("separateCode", () => {
  it("takes fenced code out of the prose and keeps its comments and docstrings", () => {
    const s = separateCode('BFS from S.\n```python\ndef f(g):  # O(R*C) time\n    """Each cell is queued once."""\n    return 1\n```\nDone.');
    expect(s.hasCode).toBe(true);
    expect(s.prose).not.toContain("def f");
    expect(s.comments).toEqual(["Each cell is queued once.", "O(R*C) time"]);
  });
});
