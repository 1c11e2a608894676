/**
 * The deterministic `Message-ID` of an email sent for an outbox item: `<${key}@waymark>`, with the key
 * made safe for the local part. Characters other than `A-Z a-z 0-9 _ -` become `=XX` (UTF-8 bytes in
 * hex), so two different keys never give the same id, and a re-send after a crash is recognisable.
 * @example emailMessageId("enr_1:3") // "<enr_1=3A3@waymark>"
 */
export function emailMessageId(idempotencyKey: string): string {
  const local = Array.from(new TextEncoder().encode(idempotencyKey), (byte) => {
    const char = String.fromCharCode(byte);
    return /^[A-Za-z0-9_-]$/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
  return `<${local}@waymark>`;
}
