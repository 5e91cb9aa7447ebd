// The Resource API ABI, declared here from the current Windows SDK shapes (Resapi.h of SDK
// 10.0.26100, via resdll-contract.md §0, §2.5, §2.6, §4.2) instead of mingw-w64's resapi.h, which
// is outdated (short callback table, RESOURCE_STATUS_EX without WaitHint, SignalFailure with a
// BOOL). On POSIX (mock mode) the same declarations stand in for the Windows types so the shim
// and the mock monitor compile from one source.
#pragma once

#include <cstddef>
#include <cstdint>

static_assert(sizeof(void*) == 8, "wsfc-resource builds 64-bit resource DLLs only (RHS is 64-bit)");

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
using WCHAR_T = wchar_t;
#define WSFC_W(s) L##s
#else
using DWORD = uint32_t;
using BOOL = int32_t;
using BYTE = uint8_t;
using PBYTE = uint8_t*;
using PVOID = void*;
using LPVOID = void*;
using HANDLE = void*;
using LPHANDLE = HANDLE*;
using LPDWORD = DWORD*;
using ULONGLONG = uint64_t;
using WCHAR_T = char16_t;
using LPCWSTR = const char16_t*;
using LPWSTR = char16_t*;
struct HKEY__;
using HKEY = HKEY__*;
#define WINAPI
#define VOID void
#define TRUE 1
#define FALSE 0
#define WSFC_W(s) u##s
#endif

static_assert(sizeof(WCHAR_T) == 2, "resource API strings are UTF-16");

// Error codes the shim returns (winerror.h).
constexpr DWORD kErrorSuccess = 0;
constexpr DWORD kErrorInvalidFunction = 1;
constexpr DWORD kErrorNotEnoughMemory = 8;
constexpr DWORD kErrorInvalidData = 13;
constexpr DWORD kErrorGenFailure = 31;
constexpr DWORD kErrorInvalidParameter = 87;
constexpr DWORD kErrorBusy = 170;
constexpr DWORD kErrorMoreData = 234;
constexpr DWORD kErrorOperationAborted = 995;
constexpr DWORD kErrorIoPending = 997;
constexpr DWORD kErrorRevisionMismatch = 1306;
constexpr DWORD kErrorBadConfiguration = 1610;
constexpr DWORD kErrorTimeout = 1460;
constexpr DWORD kErrorResourceNotFound = 5007;
constexpr DWORD kErrorHostNodeNotAvailable = 5005;
constexpr DWORD kErrorResourceNotAvailable = 5006;
constexpr DWORD kErrorResourceFailed = 5038;
constexpr DWORD kErrorClusterResnameNotFound = 5080;

using RESID = void*;
using RESOURCE_HANDLE = void*;

enum CLUSTER_RESOURCE_STATE : int32_t {
  ClusterResourceStateUnknown = -1,
  ClusterResourceInherited = 0,
  ClusterResourceInitializing = 1,
  ClusterResourceOnline = 2,
  ClusterResourceOffline = 3,
  ClusterResourceFailed = 4,
  ClusterResourcePending = 128,
  ClusterResourceOnlinePending = 129,
  ClusterResourceOfflinePending = 130,
};

enum LOG_LEVEL : int32_t { LOG_INFORMATION = 0, LOG_WARNING = 1, LOG_ERROR = 2, LOG_SEVERE = 3 };
enum RESOURCE_EXIT_STATE : int32_t {
  ResourceExitStateContinue = 0,
  ResourceExitStateTerminate = 1,
  ResourceExitStateMax = 2,
};
enum FAILURE_TYPE : int32_t {
  FAILURE_TYPE_GENERAL = 0,
  FAILURE_TYPE_EMBEDDED = 1,
  FAILURE_TYPE_NETWORK_LOSS = 2,
};

struct RESOURCE_STATUS {
  CLUSTER_RESOURCE_STATE ResourceState;
  DWORD CheckPoint;
  DWORD WaitHint;
  HANDLE EventHandle;
};
// Not RESOURCE_STATUS with extra fields: EventHandle moved to offset 8 (§4.2).
struct RESOURCE_STATUS_EX {
  CLUSTER_RESOURCE_STATE ResourceState;
  DWORD CheckPoint;
  HANDLE EventHandle;
  DWORD ApplicationSpecificErrorCode;
  DWORD Flags;
  DWORD WaitHint;
};

constexpr DWORD CLRES_VERSION_V1_00 = 0x100;
constexpr DWORD CLRES_VERSION_V2_00 = 0x200;
constexpr DWORD CLRES_VERSION_V3_00 = 0x300;
constexpr DWORD CLRES_VERSION_V4_00 = 0x400;

using PQUORUM_RESOURCE_LOST = VOID(WINAPI*)(RESOURCE_HANDLE);
using POPEN_ROUTINE = RESID(WINAPI*)(LPCWSTR ResourceName, HKEY ResourceKey, RESOURCE_HANDLE ResourceHandle);
using POPEN_V2_ROUTINE = RESID(WINAPI*)(LPCWSTR ResourceName, HKEY ResourceKey,
                                        RESOURCE_HANDLE ResourceHandle, DWORD OpenFlags);
using PCLOSE_ROUTINE = VOID(WINAPI*)(RESID Resource);
using PONLINE_ROUTINE = DWORD(WINAPI*)(RESID Resource, LPHANDLE EventHandle);
using PONLINE_V2_ROUTINE = DWORD(WINAPI*)(RESID Resource, LPHANDLE EventHandle, DWORD OnlineFlags,
                                          PBYTE InBuffer, DWORD InBufferSize, DWORD Reserved);
using POFFLINE_ROUTINE = DWORD(WINAPI*)(RESID Resource);
using POFFLINE_V2_ROUTINE = DWORD(WINAPI*)(RESID Resource, LPCWSTR DestinationNodeName,
                                           DWORD OfflineFlags, PBYTE InBuffer, DWORD InBufferSize,
                                           DWORD Reserved);
using PTERMINATE_ROUTINE = VOID(WINAPI*)(RESID Resource);
using PLOOKS_ALIVE_ROUTINE = BOOL(WINAPI*)(RESID Resource);
using PIS_ALIVE_ROUTINE = BOOL(WINAPI*)(RESID Resource);
using PARBITRATE_ROUTINE = DWORD(WINAPI*)(RESID Resource, PQUORUM_RESOURCE_LOST LostQuorumResource);
using PRELEASE_ROUTINE = DWORD(WINAPI*)(RESID Resource);
using PRESOURCE_CONTROL_ROUTINE = DWORD(WINAPI*)(RESID Resource, DWORD ControlCode, PVOID InBuffer,
                                                 DWORD InBufferSize, PVOID OutBuffer,
                                                 DWORD OutBufferSize, LPDWORD BytesReturned);
using PRESOURCE_TYPE_CONTROL_ROUTINE = DWORD(WINAPI*)(LPCWSTR ResourceTypeName, DWORD ControlCode,
                                                      PVOID InBuffer, DWORD InBufferSize,
                                                      PVOID OutBuffer, DWORD OutBufferSize,
                                                      LPDWORD BytesReturned);
using PCANCEL_ROUTINE = DWORD(WINAPI*)(RESID Resource, DWORD CancelFlags_RESERVED);
// V3/V4 slots are declared only so the union has the SDK's size; the shim never fills them.
using PBEGIN_RESCALL_ROUTINE = void*;
using PBEGIN_RESTYPECALL_ROUTINE = void*;

struct CLRES_V1_FUNCTIONS {
  POPEN_ROUTINE Open;
  PCLOSE_ROUTINE Close;
  PONLINE_ROUTINE Online;
  POFFLINE_ROUTINE Offline;
  PTERMINATE_ROUTINE Terminate;
  PLOOKS_ALIVE_ROUTINE LooksAlive;
  PIS_ALIVE_ROUTINE IsAlive;
  PARBITRATE_ROUTINE Arbitrate;
  PRELEASE_ROUTINE Release;
  PRESOURCE_CONTROL_ROUTINE ResourceControl;
  PRESOURCE_TYPE_CONTROL_ROUTINE ResourceTypeControl;
};
struct CLRES_V2_FUNCTIONS {
  POPEN_V2_ROUTINE Open;
  PCLOSE_ROUTINE Close;
  PONLINE_V2_ROUTINE Online;
  POFFLINE_V2_ROUTINE Offline;
  PTERMINATE_ROUTINE Terminate;
  PLOOKS_ALIVE_ROUTINE LooksAlive;
  PIS_ALIVE_ROUTINE IsAlive;
  PARBITRATE_ROUTINE Arbitrate;
  PRELEASE_ROUTINE Release;
  PRESOURCE_CONTROL_ROUTINE ResourceControl;
  PRESOURCE_TYPE_CONTROL_ROUTINE ResourceTypeControl;
  PCANCEL_ROUTINE Cancel;
};
struct CLRES_V3_FUNCTIONS {
  POPEN_V2_ROUTINE Open;
  PCLOSE_ROUTINE Close;
  PONLINE_V2_ROUTINE Online;
  POFFLINE_V2_ROUTINE Offline;
  PTERMINATE_ROUTINE Terminate;
  PLOOKS_ALIVE_ROUTINE LooksAlive;
  PIS_ALIVE_ROUTINE IsAlive;
  PARBITRATE_ROUTINE Arbitrate;
  PRELEASE_ROUTINE Release;
  PBEGIN_RESCALL_ROUTINE BeginResourceControl;
  PBEGIN_RESTYPECALL_ROUTINE BeginResourceTypeControl;
  PCANCEL_ROUTINE Cancel;
};
struct CLRES_V4_FUNCTIONS {
  POPEN_V2_ROUTINE Open;
  PCLOSE_ROUTINE Close;
  PONLINE_V2_ROUTINE Online;
  POFFLINE_V2_ROUTINE Offline;
  PTERMINATE_ROUTINE Terminate;
  PLOOKS_ALIVE_ROUTINE LooksAlive;
  PIS_ALIVE_ROUTINE IsAlive;
  PARBITRATE_ROUTINE Arbitrate;
  PRELEASE_ROUTINE Release;
  PBEGIN_RESCALL_ROUTINE BeginResourceControl;
  PBEGIN_RESTYPECALL_ROUTINE BeginResourceTypeControl;
  PCANCEL_ROUTINE Cancel;
  void* BeginResourceControlAsUser;
  void* BeginResourceTypeControlAsUser;
};
struct CLRES_FUNCTION_TABLE {
  DWORD TableSize;  // size of the Vn functions struct, not of this struct (SDK macros)
  DWORD Version;
  union {
    CLRES_V1_FUNCTIONS V1Functions;
    CLRES_V2_FUNCTIONS V2Functions;
    CLRES_V3_FUNCTIONS V3Functions;
    CLRES_V4_FUNCTIONS V4Functions;
  };
};
using PCLRES_FUNCTION_TABLE = CLRES_FUNCTION_TABLE*;

using PSET_RESOURCE_STATUS_ROUTINE = DWORD(WINAPI*)(RESOURCE_HANDLE, RESOURCE_STATUS*);
using PSET_RESOURCE_STATUS_ROUTINE_EX = DWORD(WINAPI*)(RESOURCE_HANDLE, RESOURCE_STATUS_EX*);
using PLOG_EVENT_ROUTINE = VOID(WINAPI*)(RESOURCE_HANDLE, LOG_LEVEL, LPCWSTR FormatString, ...);
using PSET_RESOURCE_LOCKED_MODE_ROUTINE = DWORD(WINAPI*)(RESOURCE_HANDLE, BOOL, DWORD);
using PSIGNAL_FAILURE_ROUTINE = DWORD(WINAPI*)(RESOURCE_HANDLE, FAILURE_TYPE, DWORD);

// The current SDK's 17 callbacks (§2.6). Older RHS versions may pass a shorter table, so the
// shim only touches the first four, which exist since Windows Server 2012.
struct CLRES_CALLBACK_FUNCTION_TABLE {
  PLOG_EVENT_ROUTINE LogEvent;
  PSET_RESOURCE_STATUS_ROUTINE_EX SetResourceStatusEx;
  PSET_RESOURCE_LOCKED_MODE_ROUTINE SetResourceLockedMode;
  PSIGNAL_FAILURE_ROUTINE SignalFailure;
  void* SetResourceInMemoryNodeLocalProperties;
  void* EndControlCall;
  void* EndTypeControlCall;
  void* ExtendControlCall;
  void* ExtendTypeControlCall;
  void* RaiseResTypeNotification;
  void* ChangeResourceProcessForDumps;
  void* ChangeResTypeProcessForDumps;
  void* SetInternalState;
  void* SetResourceLockedModeEx;
  void* RequestDump;
  void* SetResourceWprPolicy;
  void* ArmWprWatchdogForCurrentResourceCall;
};
using PCLRES_CALLBACK_FUNCTION_TABLE = CLRES_CALLBACK_FUNCTION_TABLE*;

using PSTARTUP_ROUTINE = DWORD(WINAPI*)(LPCWSTR ResourceType, DWORD MinVersionSupported,
                                        DWORD MaxVersionSupported,
                                        PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                                        PLOG_EVENT_ROUTINE LogEvent,
                                        PCLRES_FUNCTION_TABLE* FunctionTable);
using PSTARTUP_EX_ROUTINE = DWORD(WINAPI*)(LPCWSTR ResourceType, DWORD MinVersionSupported,
                                           DWORD MaxVersionSupported,
                                           PCLRES_CALLBACK_FUNCTION_TABLE MonitorCallbackFunctions,
                                           PCLRES_FUNCTION_TABLE* ResourceDllInterfaceFunctions);

// x64 layouts from resdll-contract.md §0 (checked there against the SDK headers).
static_assert(sizeof(RESOURCE_STATUS) == 24, "RESOURCE_STATUS size");
static_assert(offsetof(RESOURCE_STATUS, CheckPoint) == 4, "RESOURCE_STATUS.CheckPoint");
static_assert(offsetof(RESOURCE_STATUS, WaitHint) == 8, "RESOURCE_STATUS.WaitHint");
static_assert(offsetof(RESOURCE_STATUS, EventHandle) == 16, "RESOURCE_STATUS.EventHandle");
static_assert(sizeof(RESOURCE_STATUS_EX) == 32, "RESOURCE_STATUS_EX size");
static_assert(offsetof(RESOURCE_STATUS_EX, CheckPoint) == 4, "RESOURCE_STATUS_EX.CheckPoint");
static_assert(offsetof(RESOURCE_STATUS_EX, EventHandle) == 8, "RESOURCE_STATUS_EX.EventHandle");
static_assert(offsetof(RESOURCE_STATUS_EX, ApplicationSpecificErrorCode) == 16, "RESOURCE_STATUS_EX.AppErr");
static_assert(offsetof(RESOURCE_STATUS_EX, Flags) == 20, "RESOURCE_STATUS_EX.Flags");
static_assert(offsetof(RESOURCE_STATUS_EX, WaitHint) == 24, "RESOURCE_STATUS_EX.WaitHint");
static_assert(sizeof(CLRES_V1_FUNCTIONS) == 88, "CLRES_V1_FUNCTIONS size");
static_assert(sizeof(CLRES_V2_FUNCTIONS) == 96, "CLRES_V2_FUNCTIONS size");
static_assert(sizeof(CLRES_V3_FUNCTIONS) == 96, "CLRES_V3_FUNCTIONS size");
static_assert(sizeof(CLRES_V4_FUNCTIONS) == 112, "CLRES_V4_FUNCTIONS size");
static_assert(sizeof(CLRES_FUNCTION_TABLE) == 120, "CLRES_FUNCTION_TABLE size");
static_assert(offsetof(CLRES_FUNCTION_TABLE, V1Functions) == 8, "CLRES_FUNCTION_TABLE union offset");
static_assert(sizeof(CLRES_CALLBACK_FUNCTION_TABLE) == 136, "CLRES_CALLBACK_FUNCTION_TABLE size");
static_assert(offsetof(CLRES_CALLBACK_FUNCTION_TABLE, SignalFailure) == 24, "SignalFailure slot");
