/** Decoding of config values as the Pulumi engine passes them to a program. Pure. */

/**
 * Decodes a value as the engine hands it over: structured values (objects, lists) arrive as JSON
 * text, scalars as plain text.
 */
export function decodeConfigValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

/** Decodes every value of an engine config map (`namespace:key` to text). */
export function decodeConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, decodeConfigValue(v)]));
}
