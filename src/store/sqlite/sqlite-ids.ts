import { randomBytes } from "node:crypto";
import type { Millis } from "../../core/index.js";

/**
 * A UUIDv7 (RFC 9562): 48 bits of milliseconds, then random bits. Rows created together get
 * neighbouring keys, so a batch touches a few B-tree pages instead of one page per row: random
 * UUIDv4 keys made every batch commit write most of the enrollments, outbox and log indexes again.
 */
export function timeOrderedId(now: Millis): string {
  const bytes = randomBytes(16);
  const ms = BigInt(Math.max(0, Math.trunc(now)));
  for (let i = 0; i < 6; i += 1) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
