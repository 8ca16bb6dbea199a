/** Code in a Slack reply (or a console answer): blocks, fences, escaping, auto-links and the language. */
import { describe, expect, it } from "vitest";
import { codeFromPlainText, extractCodeFromText } from "../../src/engine/judge/extract.js";
import { extractCode } from "../../src/slack/message-code.js";

/** A reply as Slack delivers it: rich-text blocks with a preformatted section. */
function richText(...sections: unknown[]) {
  return { type: "rich_text", block_id: "b1", elements: sections };
}
const pre = (...elements: unknown[]) => ({ type: "rich_text_preformatted", elements, border: 0 });
const text = (t: string) => ({ type: "text", text: t });

describe("extractCode from Slack messages", () => {
  it("reads code from rich_text_preformatted blocks, undoing auto-links", () => {
    const message = {
      text: "here you go ```def mapper(line): ...```",
      blocks: [
        richText(
          { type: "rich_text_section", elements: [text("here you go")] },
          pre(
            text("def mapper(line):\n    # reads "),
            { type: "link", url: "http://words.txt", text: "words.txt" },
            text("\n    return [(w, 1) for w in line.split()]"),
          ),
        ),
      ],
    };
    expect(extractCode(message)).toEqual({
      kind: "code",
      language: "python",
      languageFrom: "signature",
      source: "def mapper(line):\n    # reads words.txt\n    return [(w, 1) for w in line.split()]\n",
    });
  });

  it("joins several code blocks (mapper and reducer posted separately)", () => {
    const message = {
      blocks: [richText(pre(text("function mapper(line) { return []; }")), pre(text("function reducer(w, c) { return [w, 0]; }")))],
    };
    const found = extractCode(message);
    expect(found.kind === "code" && found.source).toBe("function mapper(line) { return []; }\n\nfunction reducer(w, c) { return [w, 0]; }\n");
  });

  it("falls back to ``` fences in the text, unescaping &lt; &gt; &amp; and links", () => {
    const message = {
      text: "Try this:\n```js\nfunction zeroSumPairs(nums) {\n  // from <http://words.txt|words.txt> or <mailto:a@b.c|a@b.c>\n  return nums.length &gt; 1 &amp;&amp; nums[0] &lt; 0 ? [] : [];\n}\n```\nthanks",
    };
    expect(extractCode(message)).toEqual({
      kind: "code",
      language: "javascript",
      languageFrom: "fence",
      source:
        "function zeroSumPairs(nums) {\n  // from words.txt or a@b.c\n  return nums.length > 1 && nums[0] < 0 ? [] : [];\n}\n",
    });
  });

  it("unescapes exactly once, so a literal &lt; in code survives as &lt;", () => {
    const found = extractCode({ text: "```py\ns = '&amp;lt;'\n```" });
    expect(found.kind === "code" && found.source).toBe("s = '&lt;'\n");
  });

  it("takes the language from the fence, then the signature, then the hint", () => {
    expect(extractCode({ text: "```python\nx = 1\n```" })).toMatchObject({ language: "python", languageFrom: "fence" });
    expect(extractCode({ text: "```py\nx = 1\n```" })).toMatchObject({ language: "python", languageFrom: "fence" });
    expect(extractCode({ text: "```javascript\nx = 1\n```" })).toMatchObject({ language: "javascript", languageFrom: "fence" });
    expect(extractCode({ text: "```def f(x):\n    return x```" })).toMatchObject({ language: "python", languageFrom: "signature" });
    expect(extractCode({ text: "```const f = (x) => x;```" })).toMatchObject({ language: "javascript", languageFrom: "signature" });
    expect(extractCode({ text: "```x = 1```" }, "javascript")).toMatchObject({ language: "javascript", languageFrom: "hint" });
    expect(extractCode({ text: "```x = 1```" })).toEqual({ kind: "unknown_language", source: "x = 1\n" });
  });

  it("a Slack block whose first line is a language name uses it as the tag", () => {
    const found = extractCode({ blocks: [richText(pre(text("python\ndef add(a, b):\n    return a + b")))] });
    expect(found).toMatchObject({ kind: "code", language: "python", languageFrom: "fence", source: "def add(a, b):\n    return a + b\n" });
  });

  it("names a fenced language the judge does not run", () => {
    expect(extractCode({ text: "```java\nclass A {}\n```" })).toEqual({ kind: "unsupported_language", language: "java", source: "class A {}\n" });
  });

  it("reports no code for a reply without a code block, noting when it looks like unfenced code", () => {
    expect(extractCode({ text: "I would use a hash map, O(n)." })).toEqual({ kind: "no_code", looksLikeCode: false });
    expect(extractCode({ text: "def f(x):\n    return x" })).toEqual({ kind: "no_code", looksLikeCode: true });
    expect(extractCode({ text: "``` ```", blocks: [] })).toEqual({ kind: "no_code", looksLikeCode: false });
  });

  it("ignores blocks that are not rich text", () => {
    const message = { text: "```def f():\n    pass```", blocks: [{ type: "section", text: { type: "mrkdwn", text: "```js\nx```" } }] };
    expect(extractCode(message)).toMatchObject({ kind: "code", language: "python" });
  });
});

describe("code typed in the console", () => {
  it("reads fences without Slack unescaping", () => {
    expect(extractCodeFromText("```js\nif (a &lt; b) {}\n```")).toMatchObject({ source: "if (a &lt; b) {}\n" });
    expect(codeFromPlainText("```py\ndef add(a, b):\n    return a + b\n```")).toEqual({ language: "python", source: "def add(a, b):\n    return a + b\n" });
    expect(codeFromPlainText("no code here")).toBeUndefined();
  });
});
