import { z } from "zod";
import { roundSchema } from "./schema.js";

/** JSON Schema of a round file, for editor completion (`# yaml-language-server: $schema=…`). */
export function roundJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Interview round",
    ...z.toJSONSchema(roundSchema, { io: "input", unrepresentable: "any" }),
  };
}
