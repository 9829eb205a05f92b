import { ValidationError } from '../errors.js';

// Field readers for parseFarm: each throws ValidationError naming the field's path.

export type Obj = Record<string, unknown>;

export function bad(field: string, value: unknown, expected: string): never {
  const shown = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  throw new ValidationError(field, String(shown), `Invalid farm: ${field} must be ${expected}`);
}

export function obj(value: unknown, field: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(field, value, 'an object');
  return value as Obj;
}

export function str(o: Obj, key: string, field: string, optional: boolean): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.length === 0) bad(`${field}.${key}`, v, 'a non-empty string');
  return v;
}

export function nonNegInt(o: Obj, key: string, field: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad(`${field}.${key}`, v, 'a non-negative integer');
  return v;
}

export function oneOf<T extends string>(o: Obj, key: string, field: string, allowed: readonly string[]): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v)) bad(`${field}.${key}`, v, `one of ${allowed.join(', ')}`);
  return v as T;
}

export function nullableStr(o: Obj, key: string, field: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') bad(`${field}.${key}`, v, 'a string or null');
  return v === '' ? null : v;
}

