// Win32 error codes (winerror.h) that the resource API, the shim and the TypeScript runtime
// exchange. Only codes the library actually produces or interprets live here; anything else a
// handler throws through ResourceError is passed through as a plain number.

export const ERROR_SUCCESS = 0;
/** Returned from ResourceControl/ResourceTypeControl to request the monitor's default processing. */
export const ERROR_INVALID_FUNCTION = 1;
export const ERROR_INVALID_HANDLE = 6;
export const ERROR_NOT_ENOUGH_MEMORY = 8;
export const ERROR_INVALID_DATA = 13;
/** The shim had no running host to ask (a control code while the host is down). */
export const ERROR_NOT_READY = 21;
/** What an unexpected throw from a handler becomes. */
export const ERROR_GEN_FAILURE = 31;
export const ERROR_NOT_SUPPORTED = 50;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_INSUFFICIENT_BUFFER = 122;
/** Another call on the same resource held it past the entry point's budget. */
export const ERROR_BUSY = 170;
/** Control-code output did not fit; the required size is reported alongside. */
export const ERROR_MORE_DATA = 234;
export const ERROR_OPERATION_ABORTED = 995;
/** Online/Offline continue asynchronously and finish through SetResourceStatus. */
export const ERROR_IO_PENDING = 997;
export const ERROR_SHUTDOWN_IN_PROGRESS = 1115;
/** Startup/StartupEx: the monitor's version range does not overlap ours. */
export const ERROR_REVISION_MISMATCH = 1306;
export const ERROR_TIMEOUT = 1460;
export const ERROR_RESOURCE_NOT_ONLINE = 5004;
export const ERROR_RESOURCE_NOT_AVAILABLE = 5006;
export const ERROR_RESOURCE_NOT_FOUND = 5007;
/** SET_PRIVATE_PROPERTIES succeeded but takes effect only after the next Online. */
export const ERROR_RESOURCE_PROPERTIES_STORED = 5024;
export const ERROR_RESOURCE_FAILED = 5038;
/** Startup/StartupEx was asked for a resource type this DLL does not implement. */
export const ERROR_CLUSTER_RESNAME_NOT_FOUND = 5080;

// Shorthand properties keep each name next to its value exactly once.
const KNOWN_ERRORS = {
  ERROR_SUCCESS,
  ERROR_INVALID_FUNCTION,
  ERROR_INVALID_HANDLE,
  ERROR_NOT_ENOUGH_MEMORY,
  ERROR_INVALID_DATA,
  ERROR_NOT_READY,
  ERROR_GEN_FAILURE,
  ERROR_NOT_SUPPORTED,
  ERROR_INVALID_PARAMETER,
  ERROR_INSUFFICIENT_BUFFER,
  ERROR_BUSY,
  ERROR_MORE_DATA,
  ERROR_OPERATION_ABORTED,
  ERROR_IO_PENDING,
  ERROR_SHUTDOWN_IN_PROGRESS,
  ERROR_REVISION_MISMATCH,
  ERROR_TIMEOUT,
  ERROR_RESOURCE_NOT_ONLINE,
  ERROR_RESOURCE_NOT_AVAILABLE,
  ERROR_RESOURCE_NOT_FOUND,
  ERROR_RESOURCE_PROPERTIES_STORED,
  ERROR_RESOURCE_FAILED,
  ERROR_CLUSTER_RESNAME_NOT_FOUND,
} as const;

/** Names of the Win32 error constants exported by this module. */
export type Win32ErrorName = keyof typeof KNOWN_ERRORS;

const NAME_BY_CODE: ReadonlyMap<number, Win32ErrorName> = new Map(
  (Object.keys(KNOWN_ERRORS) as Win32ErrorName[]).map((name) => [KNOWN_ERRORS[name], name]),
);

/**
 * Human-readable name for log lines and error messages: `'ERROR_TIMEOUT'` for codes this module
 * knows, `'Win32 error 12345'` otherwise (so an unknown code is still searchable).
 */
export function win32ErrorName(code: number): string {
  return NAME_BY_CODE.get(code) ?? `Win32 error ${code}`;
}
