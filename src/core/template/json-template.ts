import { parseTemplate, type CompiledTemplate } from "./template.js";

/**
 * A JSON value whose strings are templates, compiled: each string renders to a JSON string, so no
 * value can break the document or add a key. A part with no template in it is serialised once.
 */
export type CompiledJsonTemplate =
  | { readonly type: "literal"; readonly json: string }
  | { readonly type: "template"; readonly template: Exclude<CompiledTemplate, string> }
  | { readonly type: "array"; readonly items: readonly CompiledJsonTemplate[] }
  | {
      readonly type: "object";
      readonly entries: readonly (readonly [encodedKey: string, value: CompiledJsonTemplate])[];
    };

/** Compile a JSON value whose strings are templates. Throws liquidjs' parse error when one does not parse. */
export function compileJsonTemplate(value: unknown): CompiledJsonTemplate {
  if (typeof value === "string") {
    const template = parseTemplate(value);
    return typeof template === "string"
      ? { type: "literal", json: JSON.stringify(template) }
      : { type: "template", template };
  }
  if (Array.isArray(value)) {
    const items = value.map(compileJsonTemplate);
    return items.every((i) => i.type === "literal")
      ? { type: "literal", json: JSON.stringify(value) }
      : { type: "array", items };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([k, v]) => [JSON.stringify(k), compileJsonTemplate(v)] as const,
    );
    return entries.every(([, v]) => v.type === "literal")
      ? { type: "literal", json: JSON.stringify(value) }
      : { type: "object", entries };
  }
  return { type: "literal", json: JSON.stringify(value) };
}

/** Render a compiled JSON template to JSON text, rendering each template with `render`. */
export function renderJsonTemplate(
  compiled: CompiledJsonTemplate,
  render: (template: CompiledTemplate) => string,
): string {
  switch (compiled.type) {
    case "literal":
      return compiled.json;
    case "template":
      return JSON.stringify(render(compiled.template));
    case "array":
      return `[${compiled.items.map((i) => renderJsonTemplate(i, render)).join(",")}]`;
    case "object":
      return `{${compiled.entries.map(([k, v]) => `${k}:${renderJsonTemplate(v, render)}`).join(",")}}`;
  }
}

/** Every string of a JSON value, with its path below `path` (`body.items[0].name`). */
export function jsonStrings(value: unknown, path: string): [text: string, path: string][] {
  if (typeof value === "string") return [[value, path]];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonStrings(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) =>
      jsonStrings(v, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`),
    );
  }
  return [];
}
