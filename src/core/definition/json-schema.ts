import { z } from "zod";
import { JourneyDefinitionSchema } from "./journey-schema.js";

/**
 * The published JSON Schema of a journey definition (draft 2020-12), generated from the zod schema.
 * It describes the input shape (defaults may be left out). Editors use it through `"$schema"`.
 */
export function journeyDefinitionJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(JourneyDefinitionSchema, {
    io: "input",
    unrepresentable: "any",
    /* zod copies the registry `id` into each schema: it only names the `$defs` entry, and `id` is a
       draft-04 keyword that would confuse older validators. */
    override: (ctx) => {
      delete (ctx.jsonSchema as { id?: unknown }).id;
    },
  }) as Record<string, unknown>;
}
