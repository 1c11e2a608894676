/**
 * Why `url` cannot be a webhook's URL, or null when it can: it must be an absolute `http:` or
 * `https:` URL. A URL without template markup is checked when the definition is validated; a
 * templated one when it is rendered for a profile.
 */
export function webhookUrlError(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not an absolute URL`;
  }
  return parsed.protocol === "http:" || parsed.protocol === "https:"
    ? null
    : `${JSON.stringify(url)} is not an http or https URL`;
}
