/**
 * Reading untyped document data: a vendor's document may put anything anywhere.
 */

export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value as an object, or `{}` when it is anything else: absent sections read as empty. */
export function asObject(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}
