// The exported flag sets carry the SDK's values: resdll-contract.md §3.1 (OpenV2), §3.3 (OnlineV2),
// §3.4 (OfflineV2) and §11.2 (RESOURCE_STATUS_EX.Flags), which were read from resapi.h of SDK
// 10.0.26100 (microsoft/win32metadata). The shim's copies are static_asserted in
// native/shim/resapi_codes.h where it builds control codes from them.
import { expect, test } from 'vitest';
import { CLUS_RESDLL_OFFLINE, CLUS_RESDLL_ONLINE, CLUS_RESDLL_OPEN, CLUSRESDLL_STATUS, STATE_CHANGE_REASONS } from '../../lib/index.js';

test('CLUS_RESDLL_OPEN', () => {
  expect(CLUS_RESDLL_OPEN).toEqual({ RECOVER_MONITOR_STATE: 0x1, DONT_DELETE_TEMP_DISK: 0x2 });
});

test('CLUS_RESDLL_ONLINE', () => {
  expect(CLUS_RESDLL_ONLINE).toEqual({
    RECOVER_MONITOR_STATE: 0x01,
    IGNORE_RESOURCE_STATUS: 0x02,
    RETURN_TO_SOURCE_NODE_ON_ERROR: 0x04,
    RESTORE_ONLINE_STATE: 0x08,
    IGNORE_NETWORK_CONNECTIVITY: 0x10,
  });
  expect(CLUS_RESDLL_ONLINE.IGNORE_RESOURCE_STATUS).toBe(0x2);
});

test('CLUS_RESDLL_OFFLINE', () => {
  expect(CLUS_RESDLL_OFFLINE).toEqual({
    IGNORE_RESOURCE_STATUS: 0x01,
    RETURN_TO_SOURCE_NODE_ON_ERROR: 0x02,
    QUEUE_ENABLED: 0x04,
    RETURNING_TO_SOURCE_NODE_BECAUSE_OF_ERROR: 0x08,
    DUE_TO_EMBEDDED_FAILURE: 0x10,
    IGNORE_NETWORK_CONNECTIVITY: 0x20,
    DO_NOT_UPDATE_PERSISTENT_STATE: 0x40,
  });
});

test('CLUSRESDLL_STATUS', () => {
  expect(CLUSRESDLL_STATUS).toEqual({
    OFFLINE_BUSY: 0x1,
    OFFLINE_SOURCE_THROTTLED: 0x2,
    OFFLINE_DESTINATION_THROTTLED: 0x4,
    OFFLINE_DESTINATION_REJECTED: 0x8,
    INSUFFICIENT_MEMORY: 0x10,
    INSUFFICIENT_PROCESSOR: 0x20,
    INSUFFICIENT_OTHER_RESOURCES: 0x40,
    INVALID_PARAMETERS: 0x80,
    NETWORK_NOT_AVAILABLE: 0x100,
    DO_NOT_COLLECT_WER_REPORT: 0x40000000,
    DUMP_NOW: 0x80000000,
  });
});

test('state-change reasons in the order of ClusApi.h (resdll-contract.md §7.3: Unknown 0 ... Rundown 5)', () => {
  expect(STATE_CHANGE_REASONS).toEqual(['unknown', 'move', 'failover', 'failedMove', 'shutdown', 'rundown']);
});
