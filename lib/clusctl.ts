// Cluster control codes (ClusApi.h) for resources and resource types, plus the bit-field helpers
// to build user-defined codes and to take any code apart.
//
// Layout (ClusApi.h):
//   31..24 object | 23 global | 22 modify | 21 user | 20 internal | 19..2 function | 1..0 access
// The values below are written out literally (as the SDK enum would evaluate them) so that
// `clusctl.X` has a literal type and grep finds the hex; test/unit/clusctl.test.ts recomputes
// every one of them from the header's macros.

const OBJECT_SHIFT = 24;
const GLOBAL_BIT = 1 << 23;
const MODIFY_BIT = 1 << 22;
const USER_BIT = 1 << 21;
const INTERNAL_BIT = 1 << 20;
const FUNCTION_SHIFT = 2;
const ACCESS_MASK = 0x3;
/**
 * User codes keep the function below the internal bit (bit 20): the header reserves that bit for
 * non-user codes, and staying clear of it keeps `isInternal(userCode(...))` false.
 */
const USER_FUNCTION_MAX = (1 << 18) - 1;

/** CLUS_ACCESS_* — the low two bits of a control code. */
export const CLUS_ACCESS = { ANY: 0, READ: 1, WRITE: 2 } as const;

/** CLUSTER_CONTROL_OBJECT — the high byte of a control code (header enum values). */
export const CLUS_OBJECT = {
  INVALID: 0,
  RESOURCE: 1,
  RESOURCE_TYPE: 2,
  GROUP: 3,
  NODE: 4,
  NETWORK: 5,
  NETINTERFACE: 6,
  CLUSTER: 7,
  GROUPSET: 8,
  AFFINITYRULE: 9,
  USER: 128,
} as const;

/**
 * CLUSCTL_RESOURCE_* and CLUSCTL_RESOURCE_TYPE_* codes, SDK names without the `CLUSCTL_` prefix.
 * Complete for the codes a resource DLL can receive per the contract (§7.3, §7.4); storage,
 * network-name and other built-in-type codes are deliberately absent.
 */
export const clusctl = {
  // Resource, external
  RESOURCE_UNKNOWN: 0x01000000,
  RESOURCE_GET_CHARACTERISTICS: 0x01000005,
  RESOURCE_GET_FLAGS: 0x01000009,
  RESOURCE_GET_CLASS_INFO: 0x0100000d,
  RESOURCE_GET_REQUIRED_DEPENDENCIES: 0x01000011,
  RESOURCE_GET_FAILURE_INFO: 0x01000019,
  RESOURCE_GET_NAME: 0x01000029,
  RESOURCE_GET_RESOURCE_TYPE: 0x0100002d,
  RESOURCE_GET_ID: 0x01000039,
  RESOURCE_ENUM_COMMON_PROPERTIES: 0x01000051,
  RESOURCE_GET_RO_COMMON_PROPERTIES: 0x01000055,
  RESOURCE_GET_COMMON_PROPERTIES: 0x01000059,
  RESOURCE_SET_COMMON_PROPERTIES: 0x0140005e,
  RESOURCE_VALIDATE_COMMON_PROPERTIES: 0x01000061,
  RESOURCE_GET_COMMON_PROPERTY_FMTS: 0x01000065,
  RESOURCE_ENUM_PRIVATE_PROPERTIES: 0x01000079,
  RESOURCE_GET_RO_PRIVATE_PROPERTIES: 0x0100007d,
  RESOURCE_GET_PRIVATE_PROPERTIES: 0x01000081,
  RESOURCE_SET_PRIVATE_PROPERTIES: 0x01400086,
  RESOURCE_VALIDATE_PRIVATE_PROPERTIES: 0x01000089,
  RESOURCE_GET_PRIVATE_PROPERTY_FMTS: 0x0100008d,
  RESOURCE_GET_NETWORK_NAME: 0x01000169,
  RESOURCE_QUERY_DELETE: 0x010001b9,
  // The header declares these two with CLCTL_EXTERNAL_CODE although the docs list them as internal.
  RESOURCE_PREPARE_UPGRADE: 0x014020ea,
  RESOURCE_UPGRADE_COMPLETED: 0x014020ee,

  // Resource, internal (sent only by the cluster service)
  RESOURCE_DELETE: 0x01500006,
  RESOURCE_INSTALL_NODE: 0x0150000a,
  RESOURCE_EVICT_NODE: 0x0150000e,
  RESOURCE_ADD_DEPENDENCY: 0x01500012,
  RESOURCE_REMOVE_DEPENDENCY: 0x01500016,
  RESOURCE_ADD_OWNER: 0x0150001a,
  RESOURCE_REMOVE_OWNER: 0x0150001e,
  RESOURCE_SET_NAME: 0x01500026,
  RESOURCE_CLUSTER_NAME_CHANGED: 0x0150002a,
  RESOURCE_CLUSTER_VERSION_CHANGED: 0x0150002e,
  RESOURCE_FORCE_QUORUM: 0x01500046,
  RESOURCE_INITIALIZE: 0x0150004a,
  RESOURCE_STATE_CHANGE_REASON: 0x0150004e,
  RESOURCE_PROVIDER_STATE_CHANGE: 0x01500052,
  RESOURCE_LEAVING_GROUP: 0x01500056,
  RESOURCE_JOINING_GROUP: 0x0150005a,
  RESOURCE_NOTIFY_QUORUM_STATUS: 0x0150007e,
  RESOURCE_UNDELETE: 0x01500086,
  RESOURCE_GET_OPERATION_CONTEXT: 0x011020e9,
  RESOURCE_NOTIFY_OWNER_CHANGE: 0x01502122,
  RESOURCE_VALIDATE_CHANGE_GROUP: 0x01102125,
  RESOURCE_CHECK_DRAIN_VETO: 0x0110212d,
  RESOURCE_NOTIFY_DRAIN_COMPLETE: 0x01102131,

  // Resource type, external
  RESOURCE_TYPE_UNKNOWN: 0x02000000,
  RESOURCE_TYPE_GET_CHARACTERISTICS: 0x02000005,
  RESOURCE_TYPE_GET_FLAGS: 0x02000009,
  RESOURCE_TYPE_GET_CLASS_INFO: 0x0200000d,
  RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES: 0x02000011,
  RESOURCE_TYPE_GET_ARB_TIMEOUT: 0x02000015,
  RESOURCE_TYPE_ENUM_COMMON_PROPERTIES: 0x02000051,
  RESOURCE_TYPE_GET_RO_COMMON_PROPERTIES: 0x02000055,
  RESOURCE_TYPE_GET_COMMON_PROPERTIES: 0x02000059,
  RESOURCE_TYPE_SET_COMMON_PROPERTIES: 0x0240005e,
  RESOURCE_TYPE_VALIDATE_COMMON_PROPERTIES: 0x02000061,
  RESOURCE_TYPE_GET_COMMON_PROPERTY_FMTS: 0x02000065,
  RESOURCE_TYPE_GET_COMMON_RESOURCE_PROPERTY_FMTS: 0x02000069,
  RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES: 0x02000079,
  RESOURCE_TYPE_GET_RO_PRIVATE_PROPERTIES: 0x0200007d,
  RESOURCE_TYPE_GET_PRIVATE_PROPERTIES: 0x02000081,
  RESOURCE_TYPE_SET_PRIVATE_PROPERTIES: 0x02400086,
  RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES: 0x02000089,
  RESOURCE_TYPE_GET_PRIVATE_PROPERTY_FMTS: 0x0200008d,
  RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS: 0x02000091,
  RESOURCE_TYPE_QUERY_DELETE: 0x020001b9,
  // Three SDK names share one value (CLCTL_VALIDATE_PATH); controlCodeName reports the first.
  RESOURCE_TYPE_GEN_APP_VALIDATE_PATH: 0x02000231,
  RESOURCE_TYPE_GEN_SCRIPT_VALIDATE_PATH: 0x02000231,
  RESOURCE_TYPE_WITNESS_VALIDATE_PATH: 0x02000231,
  RESOURCE_TYPE_PREPARE_UPGRADE: 0x024020ea,
  RESOURCE_TYPE_UPGRADE_COMPLETED: 0x024020ee,

  // Resource type, internal
  RESOURCE_TYPE_INSTALL_NODE: 0x0250000a,
  RESOURCE_TYPE_EVICT_NODE: 0x0250000e,
  RESOURCE_TYPE_CLUSTER_VERSION_CHANGED: 0x0250002e,
  RESOURCE_TYPE_FIXUP_ON_UPGRADE: 0x02500032,
  RESOURCE_TYPE_STARTING_PHASE1: 0x02500036,
  RESOURCE_TYPE_STARTING_PHASE2: 0x0250003a,
  RESOURCE_TYPE_HOLD_IO: 0x0250003e,
  RESOURCE_TYPE_RESUME_IO: 0x02500042,
  RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN: 0x02100081,
  RESOURCE_TYPE_CHECK_DRAIN_VETO: 0x0210212d,
  RESOURCE_TYPE_NOTIFY_DRAIN_COMPLETE: 0x02102131,
} as const;

export type ClusctlName = keyof typeof clusctl;
export type ClusctlCode = (typeof clusctl)[ClusctlName];

/** CLUS_CHARACTERISTICS — the DWORD answered to GET_CHARACTERISTICS. */
export const CLUS_CHAR = {
  UNKNOWN: 0x00000000,
  QUORUM: 0x00000001,
  DELETE_REQUIRES_ALL_NODES: 0x00000002,
  /** Deprecated since Vista. */
  LOCAL_QUORUM: 0x00000004,
  /** Deprecated since Vista. */
  LOCAL_QUORUM_DEBUG: 0x00000008,
  REQUIRES_STATE_CHANGE_REASON: 0x00000010,
  BROADCAST_DELETE: 0x00000020,
  SINGLE_CLUSTER_INSTANCE: 0x00000040,
  SINGLE_GROUP_INSTANCE: 0x00000080,
  COEXIST_IN_SHARED_VOLUME_GROUP: 0x00000100,
  PLACEMENT_DATA: 0x00000200,
  MONITOR_DETACH: 0x00000400,
  MONITOR_REATTACH: 0x00000800,
  OPERATION_CONTEXT: 0x00001000,
  CLONES: 0x00002000,
  NOT_PREEMPTABLE: 0x00004000,
  NOTIFY_NEW_OWNER: 0x00008000,
  SUPPORTS_UNMONITORED_STATE: 0x00010000,
  INFRASTRUCTURE: 0x00020000,
  VETO_DRAIN: 0x00040000,
  DRAIN_LOCAL_OFFLINE: 0x00080000,
} as const;

/** CLUS_FLAGS — the low 16 bits of GET_FLAGS are the cluster's; the upper 16 are the DLL's. */
export const CLUS_FLAG = { CORE: 0x00000001 } as const;

/** CLUSTER_RESOURCE_CLASS — first DWORD of CLUS_RESOURCE_CLASS_INFO (GET_CLASS_INFO). */
export const CLUS_RESCLASS = { UNKNOWN: 0, STORAGE: 1, NETWORK: 2, USER: 32768 } as const;

export type ControlAccess = 'any' | 'read' | 'write';
export type ControlObject = 'resource' | 'resourceType';

const ACCESS_BITS: Readonly<Record<ControlAccess, number>> = { any: 0, read: 1, write: 2 };
const ACCESS_NAMES = ['any', 'read', 'write', 'readWrite'] as const;

function checkCode(code: number): number {
  if (!Number.isInteger(code) || code < 0 || code > 0xffffffff) {
    throw new RangeError(`control code must be an unsigned 32-bit integer, got ${code}`);
  }
  return code;
}

/**
 * `CLUSCTL_USER_CODE(fn, object) | access`: a private control code for a resource's (or a type's)
 * `controls` handlers. The cluster routes user codes to the DLL untouched.
 */
export function userCode(
  fn: number,
  object: ControlObject | number = 'resource',
  access: ControlAccess = 'any',
): number {
  if (!Number.isInteger(fn) || fn < 0 || fn > USER_FUNCTION_MAX) {
    throw new RangeError(`user control function must be an integer 0..${USER_FUNCTION_MAX}, got ${fn}`);
  }
  let obj: number;
  if (object === 'resource') obj = CLUS_OBJECT.RESOURCE;
  else if (object === 'resourceType') obj = CLUS_OBJECT.RESOURCE_TYPE;
  else if (typeof object === 'number' && Number.isInteger(object) && object >= 0 && object <= 0xff) obj = object;
  else throw new RangeError(`control object must be 'resource', 'resourceType' or an integer 0..255, got ${String(object)}`);
  if (!Object.hasOwn(ACCESS_BITS, access)) {
    throw new RangeError(`control access must be 'any', 'read' or 'write', got ${String(access)}`);
  }
  // `>>> 0` because objects >= 0x80 would otherwise come out as negative int32.
  return ((obj << OBJECT_SHIFT) | USER_BIT | (fn << FUNCTION_SHIFT) | ACCESS_BITS[access]) >>> 0;
}

/** CLUSCTL_GET_ACCESS_MODE as a name; both bits set (not defined by the SDK) is 'readWrite'. */
export function controlAccess(code: number): (typeof ACCESS_NAMES)[number] {
  return ACCESS_NAMES[checkCode(code) & ACCESS_MASK];
}

/** CLUSCTL_GET_CONTROL_OBJECT: compare with `CLUS_OBJECT`. */
export function controlObject(code: number): number {
  return checkCode(code) >>> OBJECT_SHIFT;
}

/**
 * The function number (bits 2..19), i.e. the `fn` given to `userCode` or the number inside
 * CLCTL_EXTERNAL_CODE/CLCTL_INTERNAL_CODE. Note that the SDK's CLUSCTL_GET_CONTROL_FUNCTION is
 * something else: it returns the object-less CLCTL_* code (`code & 0x3FFFFF`).
 */
export function controlFunction(code: number): number {
  return (checkCode(code) >>> FUNCTION_SHIFT) & 0x3ffff;
}

/** Internal codes are sent only by the cluster service, never by applications. */
export function isInternal(code: number): boolean {
  return (checkCode(code) & INTERNAL_BIT) !== 0;
}

/** The operation changes data (and may raise change notifications). */
export function isModify(code: number): boolean {
  return (checkCode(code) & MODIFY_BIT) !== 0;
}

/** Built with CLUSCTL_USER_CODE: only the DLL can process it. */
export function isUser(code: number): boolean {
  return (checkCode(code) & USER_BIT) !== 0;
}

/** The operation must be performed on every node. */
export function isGlobal(code: number): boolean {
  return (checkCode(code) & GLOBAL_BIT) !== 0;
}

const NAME_BY_CODE: ReadonlyMap<number, ClusctlName> = (() => {
  const names = new Map<number, ClusctlName>();
  for (const name of Object.keys(clusctl) as ClusctlName[]) {
    // First declaration wins, so aliases sharing a value do not shadow the primary name.
    if (!names.has(clusctl[name])) names.set(clusctl[name], name);
  }
  return names;
})();

/** The `clusctl` key for a known code (e.g. 'RESOURCE_GET_FLAGS'), for logs; undefined otherwise. */
export function controlCodeName(code: number): ClusctlName | undefined {
  return NAME_BY_CODE.get(code);
}
