/* FNV-1a over UTF-16 code units, then murmur3's finaliser so that ids differing in one character
   spread over the whole range. Stable across processes and versions: never change it, or profiles
   would change paths. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The split bucket of a profile at a split node, in [0, 100). Deterministic: it depends on the journey
 * id (not the version), the node id and the profile id only, so a profile takes the same path in every
 * version and on every visit.
 */
export function splitBucket(journeyId: string, nodeId: string, profileId: string): number {
  return (hash32(`${journeyId}\u0000${nodeId}\u0000${profileId}`) % 1_000_000) / 10_000;
}
