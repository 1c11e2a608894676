import { Liquid, type Template } from "liquidjs";

/* `templates: {}` keeps Liquid off the file system: `include` and `render` find nothing instead of
   reading files, so the core stays free of I/O. */
const engine = new Liquid({ templates: {}, strictFilters: true, ownPropertyOnly: true, cache: false });
/* HTML templates escape every output; `| raw` as the last filter opts out. liquidjs adds the escape when
   it parses, so an HTML template is parsed, and rendered, by this engine. */
const htmlEngine = new Liquid({
  templates: {},
  strictFilters: true,
  ownPropertyOnly: true,
  cache: false,
  outputEscape: "escape",
});

/**
 * A template parsed once at compile time. A string with no Liquid markup stays a plain string and
 * renders to itself without touching the engine. `fast` is set when the template only outputs plain
 * variables (`Hi {{ profile.first_name }}`): literal text and dotted paths, rendered without the engine.
 * `html` is set when every output is HTML-escaped.
 */
export type CompiledTemplate =
  | string
  | {
      readonly source: string;
      readonly parsed: Template[];
      readonly fast: readonly (string | readonly string[])[] | null;
      readonly html: boolean;
    };

/** Options of {@link parseTemplate}. */
export interface TemplateOptions {
  /**
   * HTML-escape every output (`&`, `<`, `>`, `"` and `'`), as for an email's HTML part; an output whose
   * last filter is `raw` is not escaped: `{{ event.payload.banner | raw }}`.
   * @default false
   */
  readonly html?: boolean;
}

const OUTPUT = /\{\{(.*?)\}\}/gs;
const PLAIN_PATH = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;

function fastParts(source: string): (string | string[])[] | null {
  if (source.includes("{%")) return null;
  const parts: (string | string[])[] = [];
  let last = 0;
  for (const m of source.matchAll(OUTPUT)) {
    const path = PLAIN_PATH.exec(m[1] ?? "");
    if (!path?.[1]) return null;
    if (m.index > last) parts.push(source.slice(last, m.index));
    parts.push(path[1].split("."));
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  /* Leftover braces mean markup this scanner does not understand: let Liquid handle it. */
  return parts.some((p) => typeof p === "string" && (p.includes("{{") || p.includes("}}"))) ? null : parts;
}

/** Parse a Liquid template. Throws liquidjs' parse error when it does not parse. */
export function parseTemplate(source: string, options: TemplateOptions = {}): CompiledTemplate {
  if (!source.includes("{{") && !source.includes("{%")) return source;
  const html = options.html === true;
  const parsed = (html ? htmlEngine : engine).parse(source);
  return { source, parsed, fast: fastParts(source), html };
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

/* Liquid prints strings, numbers, booleans and null (as "") plainly; anything else (a missing value,
   which Liquid may resolve specially, like `size`, or an object) goes through the engine. */
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&#34;",
  "'": "&#39;",
};

/* The same escapes as liquidjs' `escape` filter, so that both paths render alike. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function renderFast(
  parts: readonly (string | readonly string[])[],
  scope: object,
  html: boolean,
): string | null {
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    let v: unknown = scope;
    for (const key of part) {
      if (v === null || typeof v !== "object" || !Object.hasOwn(v, key)) return null;
      v = (v as Record<string, unknown>)[key];
    }
    if (typeof v === "string") out += html ? escapeHtml(v) : v;
    else if (typeof v === "number" || typeof v === "boolean") out += String(v);
    else if (v !== null) return null;
  }
  return out;
}

/** Render a compiled template synchronously against `scope`. Throws on render errors. */
export function renderTemplate(template: CompiledTemplate, scope: object): string {
  if (typeof template === "string") return template;
  if (template.fast !== null) {
    const out = renderFast(template.fast, scope, template.html);
    if (out !== null) return out;
  }
  return String((template.html ? htmlEngine : engine).renderSync(template.parsed, scope));
}
