// How handler outcomes become Win32 codes for the cluster (DESIGN §4): a ResourceError carries
// its code; anything else thrown is ERROR_GEN_FAILURE with the message logged.
import { ERROR_GEN_FAILURE, ERROR_OPERATION_ABORTED, win32ErrorName } from './win32.js';

/** Throw from a handler to fail with a specific Win32 error code. */
export class ResourceError extends Error {
  readonly code: number;

  constructor(code: number, message?: string) {
    if (!Number.isInteger(code) || code <= 0 || code > 0xffffffff) {
      throw new RangeError(`ResourceError code must be a Win32 error code (1..0xFFFFFFFF), got ${String(code)}`);
    }
    super(message ?? win32ErrorName(code));
    this.name = 'ResourceError';
    this.code = code;
  }
}

/** The Win32 code a thrown value maps to. */
export function errorCodeOf(err: unknown, signal?: AbortSignal): number {
  if (err instanceof ResourceError) return err.code;
  if (signal?.aborted && isAbortError(err)) return ERROR_OPERATION_ABORTED;
  return ERROR_GEN_FAILURE;
}

/** A one-line description of a thrown value for the cluster log. */
export function describeError(err: unknown): string {
  if (err instanceof ResourceError) return `${win32ErrorName(err.code)}: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return `non-Error value thrown: ${safeString(err)}`;
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

export function safeString(v: unknown): string {
  try {
    return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
