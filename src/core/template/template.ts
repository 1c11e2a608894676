import { Liquid, type Template } from "liquidjs";

/* `templates: {}` keeps Liquid off the file system: `include` and `render` find nothing instead of
   reading files, so the core stays free of I/O. */
const engine = new Liquid({ templates: {}, strictFilters: true, ownPropertyOnly: true, cache: false });

/**
 * A template parsed once at compile time. A string with no Liquid markup stays a plain string and
 * renders to itself without touching the engine.
 */
export type CompiledTemplate = string | { readonly source: string; readonly parsed: Template[] };

/** Parse a Liquid template. Throws liquidjs' parse error when it does not parse. */
export function parseTemplate(source: string): CompiledTemplate {
  if (!source.includes("{{") && !source.includes("{%")) return source;
  return { source, parsed: engine.parse(source) };
}

/** The parse error of a template, or null when it parses. */
export function templateError(source: string): string | null {
  try {
    parseTemplate(source);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Render a compiled template synchronously against `scope`. Throws on render errors. */
export function renderTemplate(template: CompiledTemplate, scope: object): string {
  if (typeof template === "string") return template;
  return String(engine.renderSync(template.parsed, scope));
}
