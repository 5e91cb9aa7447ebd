// How handler outcomes become Win32 codes for the cluster (DESIGN §4): a ResourceError carries
// its code; anything else thrown is ERROR_GEN_FAILURE with the message logged.
import { ERROR_GEN_FAILURE, ERROR_OPERATION_ABORTED, win32ErrorName } from './win32.js';

/** Throw from a handler to fail with a specific Win32 error code. */
export class ResourceError extends Error {
  readonly code: number;
  /** V2: RESOURCE_STATUS_EX.ApplicationSpecificErrorCode of a failed Online/Offline (default: code). */
  readonly applicationSpecificErrorCode?: number;
  /** V2: RESOURCE_STATUS_EX.Flags of a failed Online/Offline (CLUSRESDLL_STATUS, OR-ed). */
  readonly statusFlags?: number;

  constructor(code: number, message?: string, details: ResourceErrorDetails = {}) {
    if (!Number.isInteger(code) || code <= 0 || code > 0xffffffff) {
      throw new RangeError(`ResourceError code must be a Win32 error code (1..0xFFFFFFFF), got ${String(code)}`);
    }
    for (const [key, v] of Object.entries(details)) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
        throw new RangeError(`ResourceError ${key} must be a DWORD (0..0xFFFFFFFF), got ${String(v)}`);
      }
    }
    super(message ?? win32ErrorName(code));
    this.name = 'ResourceError';
    this.code = code;
    if (details.applicationSpecificErrorCode !== undefined) this.applicationSpecificErrorCode = details.applicationSpecificErrorCode;
    if (details.statusFlags !== undefined) this.statusFlags = details.statusFlags;
  }
}

export interface ResourceErrorDetails {
  applicationSpecificErrorCode?: number;
  statusFlags?: number;
}

/**
 * The ResourceError a thrown value is, also one made by another copy of this package (a resource
 * module may import its own, as a compiled module in a test does).
 */
export function asResourceError(err: unknown): ResourceError | undefined {
  if (err instanceof ResourceError) return err;
  if (!(err instanceof Error) || err.name !== 'ResourceError') return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' && Number.isInteger(code) && code > 0 && code <= 0xffffffff ? (err as ResourceError) : undefined;
}

/** The Win32 code a thrown value maps to. */
export function errorCodeOf(err: unknown, signal?: AbortSignal): number {
  const re = asResourceError(err);
  if (re) return re.code;
  if (signal?.aborted && isAbortError(err)) return ERROR_OPERATION_ABORTED;
  return ERROR_GEN_FAILURE;
}

/** A one-line description of a thrown value for the cluster log. */
export function describeError(err: unknown): string {
  const re = asResourceError(err);
  if (re) return `${win32ErrorName(re.code)}: ${re.message}`;
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
