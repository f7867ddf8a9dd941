/** Loose access to JSON bodies and payloads, whose shape the fake checks as it reads them. */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** Whether `value` is a JSON object (not an array). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a JSON object, else `{}`. */
export function asRecord(value: unknown): Json {
  return isRecord(value) ? value : {};
}

/** The JSON objects in `value` when it is an array, else none. */
export function asRecords(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
