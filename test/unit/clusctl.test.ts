import { describe, expect, it } from 'vitest';
import {
  CLUS_ACCESS,
  CLUS_CHAR,
  CLUS_FLAG,
  CLUS_OBJECT,
  CLUS_RESCLASS,
  clusctl,
  controlAccess,
  controlCodeName,
  controlFunction,
  controlObject,
  isGlobal,
  isInternal,
  isModify,
  isUser,
  userCode,
  type ClusctlName,
} from '../../lib/clusctl.js';
import * as win32 from '../../lib/win32.js';

// The ClusApi.h macros, restated independently of lib/clusctl.ts.
const CLCTL_EXTERNAL_CODE = (fn: number, access: number, modify: number) => access | (fn << 2) | (modify << 22);
const CLCTL_INTERNAL_CODE = (fn: number, access: number, modify: number) => CLCTL_EXTERNAL_CODE(fn, access, modify) | (1 << 20);
const OBJECT_CODE = (object: number, clctl: number) => ((object << 24) | clctl) >>> 0;

const R = CLUS_ACCESS.READ;
const W = CLUS_ACCESS.WRITE;
const A = CLUS_ACCESS.ANY;
const RES = 1;
const TYPE = 2;

/**
 * name → [object, CLCTL function number (ClusApi.h CLCTL_CODES), access, modify, internal,
 *         value as printed in resdll-contract.md §7.3/§7.4]
 */
const TABLE: Record<ClusctlName, [number, number, number, 0 | 1, boolean, number]> = {
  RESOURCE_UNKNOWN: [RES, 0, A, 0, false, 0x01000000],
  RESOURCE_GET_CHARACTERISTICS: [RES, 1, R, 0, false, 0x01000005],
  RESOURCE_GET_FLAGS: [RES, 2, R, 0, false, 0x01000009],
  RESOURCE_GET_CLASS_INFO: [RES, 3, R, 0, false, 0x0100000d],
  RESOURCE_GET_REQUIRED_DEPENDENCIES: [RES, 4, R, 0, false, 0x01000011],
  RESOURCE_GET_FAILURE_INFO: [RES, 6, R, 0, false, 0x01000019],
  RESOURCE_GET_NAME: [RES, 10, R, 0, false, 0x01000029],
  RESOURCE_GET_RESOURCE_TYPE: [RES, 11, R, 0, false, 0x0100002d],
  RESOURCE_GET_ID: [RES, 14, R, 0, false, 0x01000039],
  RESOURCE_ENUM_COMMON_PROPERTIES: [RES, 20, R, 0, false, 0x01000051],
  RESOURCE_GET_RO_COMMON_PROPERTIES: [RES, 21, R, 0, false, 0x01000055],
  RESOURCE_GET_COMMON_PROPERTIES: [RES, 22, R, 0, false, 0x01000059],
  RESOURCE_SET_COMMON_PROPERTIES: [RES, 23, W, 1, false, 0x0140005e],
  RESOURCE_VALIDATE_COMMON_PROPERTIES: [RES, 24, R, 0, false, 0x01000061],
  RESOURCE_GET_COMMON_PROPERTY_FMTS: [RES, 25, R, 0, false, 0x01000065],
  RESOURCE_ENUM_PRIVATE_PROPERTIES: [RES, 30, R, 0, false, 0x01000079],
  RESOURCE_GET_RO_PRIVATE_PROPERTIES: [RES, 31, R, 0, false, 0x0100007d],
  RESOURCE_GET_PRIVATE_PROPERTIES: [RES, 32, R, 0, false, 0x01000081],
  RESOURCE_SET_PRIVATE_PROPERTIES: [RES, 33, W, 1, false, 0x01400086],
  RESOURCE_VALIDATE_PRIVATE_PROPERTIES: [RES, 34, R, 0, false, 0x01000089],
  RESOURCE_GET_PRIVATE_PROPERTY_FMTS: [RES, 35, R, 0, false, 0x0100008d],
  RESOURCE_GET_NETWORK_NAME: [RES, 90, R, 0, false, 0x01000169],
  RESOURCE_QUERY_DELETE: [RES, 110, R, 0, false, 0x010001b9],
  RESOURCE_PREPARE_UPGRADE: [RES, 2106, W, 1, false, 0x014020ea],
  RESOURCE_UPGRADE_COMPLETED: [RES, 2107, W, 1, false, 0x014020ee],
  RESOURCE_DELETE: [RES, 1, W, 1, true, 0x01500006],
  RESOURCE_INSTALL_NODE: [RES, 2, W, 1, true, 0x0150000a],
  RESOURCE_EVICT_NODE: [RES, 3, W, 1, true, 0x0150000e],
  RESOURCE_ADD_DEPENDENCY: [RES, 4, W, 1, true, 0x01500012],
  RESOURCE_REMOVE_DEPENDENCY: [RES, 5, W, 1, true, 0x01500016],
  RESOURCE_ADD_OWNER: [RES, 6, W, 1, true, 0x0150001a],
  RESOURCE_REMOVE_OWNER: [RES, 7, W, 1, true, 0x0150001e],
  RESOURCE_SET_NAME: [RES, 9, W, 1, true, 0x01500026],
  RESOURCE_CLUSTER_NAME_CHANGED: [RES, 10, W, 1, true, 0x0150002a],
  RESOURCE_CLUSTER_VERSION_CHANGED: [RES, 11, W, 1, true, 0x0150002e],
  RESOURCE_FORCE_QUORUM: [RES, 17, W, 1, true, 0x01500046],
  RESOURCE_INITIALIZE: [RES, 18, W, 1, true, 0x0150004a],
  RESOURCE_STATE_CHANGE_REASON: [RES, 19, W, 1, true, 0x0150004e],
  RESOURCE_PROVIDER_STATE_CHANGE: [RES, 20, W, 1, true, 0x01500052],
  RESOURCE_LEAVING_GROUP: [RES, 21, W, 1, true, 0x01500056],
  RESOURCE_JOINING_GROUP: [RES, 22, W, 1, true, 0x0150005a],
  RESOURCE_NOTIFY_QUORUM_STATUS: [RES, 31, W, 1, true, 0x0150007e],
  RESOURCE_UNDELETE: [RES, 33, W, 1, true, 0x01500086],
  RESOURCE_GET_OPERATION_CONTEXT: [RES, 2106, R, 0, true, 0x011020e9],
  RESOURCE_NOTIFY_OWNER_CHANGE: [RES, 2120, W, 1, true, 0x01502122],
  RESOURCE_VALIDATE_CHANGE_GROUP: [RES, 2121, R, 0, true, 0x01102125],
  RESOURCE_CHECK_DRAIN_VETO: [RES, 2123, R, 0, true, 0x0110212d],
  RESOURCE_NOTIFY_DRAIN_COMPLETE: [RES, 2124, R, 0, true, 0x01102131],

  RESOURCE_TYPE_UNKNOWN: [TYPE, 0, A, 0, false, 0x02000000],
  RESOURCE_TYPE_GET_CHARACTERISTICS: [TYPE, 1, R, 0, false, 0x02000005],
  RESOURCE_TYPE_GET_FLAGS: [TYPE, 2, R, 0, false, 0x02000009],
  RESOURCE_TYPE_GET_CLASS_INFO: [TYPE, 3, R, 0, false, 0x0200000d],
  RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES: [TYPE, 4, R, 0, false, 0x02000011],
  RESOURCE_TYPE_GET_ARB_TIMEOUT: [TYPE, 5, R, 0, false, 0x02000015],
  RESOURCE_TYPE_ENUM_COMMON_PROPERTIES: [TYPE, 20, R, 0, false, 0x02000051],
  RESOURCE_TYPE_GET_RO_COMMON_PROPERTIES: [TYPE, 21, R, 0, false, 0x02000055],
  RESOURCE_TYPE_GET_COMMON_PROPERTIES: [TYPE, 22, R, 0, false, 0x02000059],
  RESOURCE_TYPE_SET_COMMON_PROPERTIES: [TYPE, 23, W, 1, false, 0x0240005e],
  RESOURCE_TYPE_VALIDATE_COMMON_PROPERTIES: [TYPE, 24, R, 0, false, 0x02000061],
  RESOURCE_TYPE_GET_COMMON_PROPERTY_FMTS: [TYPE, 25, R, 0, false, 0x02000065],
  RESOURCE_TYPE_GET_COMMON_RESOURCE_PROPERTY_FMTS: [TYPE, 26, R, 0, false, 0x02000069],
  RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES: [TYPE, 30, R, 0, false, 0x02000079],
  RESOURCE_TYPE_GET_RO_PRIVATE_PROPERTIES: [TYPE, 31, R, 0, false, 0x0200007d],
  RESOURCE_TYPE_GET_PRIVATE_PROPERTIES: [TYPE, 32, R, 0, false, 0x02000081],
  RESOURCE_TYPE_SET_PRIVATE_PROPERTIES: [TYPE, 33, W, 1, false, 0x02400086],
  RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES: [TYPE, 34, R, 0, false, 0x02000089],
  RESOURCE_TYPE_GET_PRIVATE_PROPERTY_FMTS: [TYPE, 35, R, 0, false, 0x0200008d],
  RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS: [TYPE, 36, R, 0, false, 0x02000091],
  RESOURCE_TYPE_QUERY_DELETE: [TYPE, 110, R, 0, false, 0x020001b9],
  RESOURCE_TYPE_GEN_APP_VALIDATE_PATH: [TYPE, 140, R, 0, false, 0x02000231],
  RESOURCE_TYPE_GEN_SCRIPT_VALIDATE_PATH: [TYPE, 140, R, 0, false, 0x02000231],
  RESOURCE_TYPE_WITNESS_VALIDATE_PATH: [TYPE, 140, R, 0, false, 0x02000231],
  RESOURCE_TYPE_PREPARE_UPGRADE: [TYPE, 2106, W, 1, false, 0x024020ea],
  RESOURCE_TYPE_UPGRADE_COMPLETED: [TYPE, 2107, W, 1, false, 0x024020ee],
  RESOURCE_TYPE_INSTALL_NODE: [TYPE, 2, W, 1, true, 0x0250000a],
  RESOURCE_TYPE_EVICT_NODE: [TYPE, 3, W, 1, true, 0x0250000e],
  RESOURCE_TYPE_CLUSTER_VERSION_CHANGED: [TYPE, 11, W, 1, true, 0x0250002e],
  RESOURCE_TYPE_FIXUP_ON_UPGRADE: [TYPE, 12, W, 1, true, 0x02500032],
  RESOURCE_TYPE_STARTING_PHASE1: [TYPE, 13, W, 1, true, 0x02500036],
  RESOURCE_TYPE_STARTING_PHASE2: [TYPE, 14, W, 1, true, 0x0250003a],
  RESOURCE_TYPE_HOLD_IO: [TYPE, 15, W, 1, true, 0x0250003e],
  RESOURCE_TYPE_RESUME_IO: [TYPE, 16, W, 1, true, 0x02500042],
  RESOURCE_TYPE_NOTIFY_MONITOR_SHUTTING_DOWN: [TYPE, 32, R, 0, true, 0x02100081],
  RESOURCE_TYPE_CHECK_DRAIN_VETO: [TYPE, 2123, R, 0, true, 0x0210212d],
  RESOURCE_TYPE_NOTIFY_DRAIN_COMPLETE: [TYPE, 2124, R, 0, true, 0x02102131],
};

const entries = Object.entries(TABLE) as [ClusctlName, (typeof TABLE)[ClusctlName]][];
const ACCESS_NAME = ['any', 'read', 'write'] as const;

describe('clusctl table', () => {
  it('has exactly the codes of contract §7.3 and §7.4', () => {
    expect(Object.keys(clusctl).sort()).toEqual(Object.keys(TABLE).sort());
  });

  it.each(entries)('%s matches the ClusApi.h formula and the contract value', (name, [object, fn, access, modify, internal, value]) => {
    const clctl = internal ? CLCTL_INTERNAL_CODE(fn, access, modify) : CLCTL_EXTERNAL_CODE(fn, access, modify);
    expect(OBJECT_CODE(object, clctl)).toBe(value);
    expect(clusctl[name]).toBe(value);
  });

  it.each(entries)('%s decodes back into its fields', (name, [object, fn, access, modify, internal]) => {
    const code = clusctl[name];
    expect(controlObject(code)).toBe(object);
    expect(controlFunction(code)).toBe(fn);
    expect(controlAccess(code)).toBe(ACCESS_NAME[access]);
    expect(isInternal(code)).toBe(internal);
    expect(isModify(code)).toBe(modify === 1);
    expect(isUser(code)).toBe(false);
    expect(isGlobal(code)).toBe(false);
  });

  it('names every code, preferring the first of aliases that share a value', () => {
    for (const [name] of entries) expect(clusctl[controlCodeName(clusctl[name])!]).toBe(clusctl[name]);
    expect(controlCodeName(0x01000081)).toBe('RESOURCE_GET_PRIVATE_PROPERTIES');
    expect(controlCodeName(0x0250003a)).toBe('RESOURCE_TYPE_STARTING_PHASE2');
    expect(controlCodeName(0x02000231)).toBe('RESOURCE_TYPE_GEN_APP_VALIDATE_PATH');
    expect(controlCodeName(0x01200004)).toBeUndefined();
  });

  it('keeps the DESIGN.md example', () => {
    expect(clusctl.RESOURCE_GET_PRIVATE_PROPERTIES).toBe(0x01000081);
  });
});

describe('userCode', () => {
  it('builds CLUSCTL_USER_CODE(fn, object) | access', () => {
    expect(userCode(1)).toBe(0x01200004); // contract §7.1 example
    expect(userCode(1, 'resource', 'any')).toBe(0x01200004);
    expect(userCode(1, 'resourceType')).toBe(0x02200004);
    expect(userCode(5, 'resource', 'read')).toBe(0x01200015);
    expect(userCode(5, 'resource', 'write')).toBe(0x01200016);
    expect(userCode(0, 221)).toBe(0xdd200000); // the SDK sample's private object, unsigned
    expect(userCode(0x3ffff, CLUS_OBJECT.USER, 'write')).toBe(0x802ffffe);
  });

  it('round-trips through the decode helpers', () => {
    for (const [fn, object, access] of [[7, 'resource', 'read'], [0x3ffff, 'resourceType', 'write'], [0, 200, 'any']] as const) {
      const code = userCode(fn, object, access);
      expect(isUser(code)).toBe(true);
      expect(isInternal(code)).toBe(false);
      expect(isModify(code)).toBe(false);
      expect(isGlobal(code)).toBe(false);
      expect(controlFunction(code)).toBe(fn);
      expect(controlAccess(code)).toBe(access);
      expect(controlObject(code)).toBe(object === 'resource' ? 1 : object === 'resourceType' ? 2 : object);
    }
  });

  it.each([
    ['fn -1', () => userCode(-1)],
    ['fn 2^18 (would set the internal bit)', () => userCode(0x40000)],
    ['fn 1.5', () => userCode(1.5)],
    ['fn NaN', () => userCode(Number.NaN)],
    ['object 256', () => userCode(1, 256)],
    ['object -1', () => userCode(1, -1)],
    ['object name', () => userCode(1, 'group' as 'resource')],
    ['access name', () => userCode(1, 'resource', 'readwrite' as 'read')],
  ])('rejects %s with RangeError', (_name, run) => {
    expect(run).toThrow(RangeError);
  });
});

describe('decode helpers', () => {
  it('read each bit of the layout', () => {
    expect(isGlobal(1 << 23)).toBe(true);
    expect(isModify(1 << 22)).toBe(true);
    expect(isUser(1 << 21)).toBe(true);
    expect(isInternal(1 << 20)).toBe(true);
    expect(controlAccess(3)).toBe('readWrite');
    expect(controlObject(0xff000000)).toBe(0xff);
    expect(controlFunction(0xffffffff)).toBe(0x3ffff);
  });

  it.each([-1, 2 ** 32, 1.5, Number.NaN])('reject %s with RangeError', (code) => {
    for (const f of [controlAccess, controlObject, controlFunction, isInternal, isModify, isUser, isGlobal]) {
      expect(() => f(code)).toThrow(RangeError);
    }
  });
});

describe('constants of contract §7.5', () => {
  it('CLUS_CHAR: distinct single bits with the header values', () => {
    expect(CLUS_CHAR).toEqual({
      UNKNOWN: 0, QUORUM: 0x1, DELETE_REQUIRES_ALL_NODES: 0x2, LOCAL_QUORUM: 0x4, LOCAL_QUORUM_DEBUG: 0x8,
      REQUIRES_STATE_CHANGE_REASON: 0x10, BROADCAST_DELETE: 0x20, SINGLE_CLUSTER_INSTANCE: 0x40,
      SINGLE_GROUP_INSTANCE: 0x80, COEXIST_IN_SHARED_VOLUME_GROUP: 0x100, PLACEMENT_DATA: 0x200,
      MONITOR_DETACH: 0x400, MONITOR_REATTACH: 0x800, OPERATION_CONTEXT: 0x1000, CLONES: 0x2000,
      NOT_PREEMPTABLE: 0x4000, NOTIFY_NEW_OWNER: 0x8000, SUPPORTS_UNMONITORED_STATE: 0x10000,
      INFRASTRUCTURE: 0x20000, VETO_DRAIN: 0x40000, DRAIN_LOCAL_OFFLINE: 0x80000,
    });
  });

  it('CLUS_RESCLASS, CLUS_FLAG, CLUS_OBJECT, CLUS_ACCESS', () => {
    expect(CLUS_RESCLASS).toEqual({ UNKNOWN: 0, STORAGE: 1, NETWORK: 2, USER: 32768 });
    expect(CLUS_FLAG).toEqual({ CORE: 1 });
    expect(CLUS_OBJECT.RESOURCE).toBe(1);
    expect(CLUS_OBJECT.RESOURCE_TYPE).toBe(2);
    expect(CLUS_OBJECT.USER).toBe(128);
    expect(CLUS_ACCESS).toEqual({ ANY: 0, READ: 1, WRITE: 2 });
  });
});

// lib/win32.ts has no test file of its own yet; its few checks live here.
describe('win32 error codes', () => {
  it('have the winerror.h values', () => {
    const { win32ErrorName, ...codes } = win32;
    expect(codes).toEqual({
      ERROR_SUCCESS: 0, ERROR_INVALID_FUNCTION: 1, ERROR_INVALID_HANDLE: 6, ERROR_NOT_ENOUGH_MEMORY: 8,
      ERROR_INVALID_DATA: 13, ERROR_NOT_READY: 21, ERROR_GEN_FAILURE: 31, ERROR_NOT_SUPPORTED: 50, ERROR_INVALID_PARAMETER: 87,
      ERROR_INSUFFICIENT_BUFFER: 122, ERROR_BUSY: 170, ERROR_MORE_DATA: 234, ERROR_OPERATION_ABORTED: 995, ERROR_IO_PENDING: 997,
      ERROR_SHUTDOWN_IN_PROGRESS: 1115, ERROR_REVISION_MISMATCH: 1306, ERROR_TIMEOUT: 1460,
      ERROR_RESOURCE_NOT_ONLINE: 5004, ERROR_RESOURCE_NOT_AVAILABLE: 5006, ERROR_RESOURCE_NOT_FOUND: 5007,
      ERROR_RESOURCE_PROPERTIES_STORED: 5024, ERROR_RESOURCE_FAILED: 5038, ERROR_CLUSTER_RESNAME_NOT_FOUND: 5080,
    });
    expect(typeof win32ErrorName).toBe('function');
  });

  it('names known codes and labels unknown ones', () => {
    expect(win32.win32ErrorName(1460)).toBe('ERROR_TIMEOUT');
    expect(win32.win32ErrorName(0)).toBe('ERROR_SUCCESS');
    expect(win32.win32ErrorName(12345)).toBe('Win32 error 12345');
  });
});
