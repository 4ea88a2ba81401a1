// treesnap's own IDL for the Photon Controller scheduler-tree contract.
// Field ids and types follow ../shared/photon-protocol.md exactly; only what
// treesnap reads (collector) or serves (simulator) is declared.
// Regenerate TypeScript with `npm run gen:thrift`.

namespace js photon

struct ServerAddress {
  1: required string host
  2: required i32 port
}

struct TracingInfo {
  1: optional string request_id
}

// ResourceConstraint is carried in ChildInfo field 4; treesnap skips it, so it
// is declared as an opaque struct that the reader skips field by field.
struct ResourceConstraint {
}

struct ChildInfo {
  1: required string id
  2: required string address
  3: required i32 port
  4: optional list<ResourceConstraint> constraints
  5: optional i32 weight
  6: optional string owner_host
}

struct SchedulerRole {
  1: required string id
  2: optional string parent_id
  3: optional list<string> schedulers
  4: optional list<string> hosts
  5: optional list<ChildInfo> scheduler_children
  6: optional list<ChildInfo> host_children
}

struct Roles {
  1: optional list<SchedulerRole> schedulers
}

struct GetSchedulersRequest {
}

enum GetSchedulersResultCode {
  OK = 0
  SYSTEM_ERROR = 1
  NOT_LEADER = 2
  NOT_IN_MAJORITY = 3
}

struct SchedulerEntry {
  1: required SchedulerRole role
  2: optional string agent
}

struct GetSchedulersResponse {
  1: required GetSchedulersResultCode result
  2: optional string error
  3: optional list<SchedulerEntry> schedulers
}

enum StatusType {
  READY = 0
  INITIALIZING = 1
  UNREACHABLE = 2
  ERROR = 3
  PARTIAL_ERROR = 4
}

struct Status {
  1: required StatusType type
  2: optional string message
  3: optional map<string, string> stats
  4: optional string build_info
}

struct GetStatusRequest {
  99: optional TracingInfo tracing_info
}

enum NetworkType {
  VM = 0
  MANAGEMENT = 1
  FT_LOGGING = 2
  VSPHERE_REPLICATION = 3
  VSPHERE_REPLICATION_NFC = 4
  VMOTION = 5
  VSAN = 6
  OTHER = 99
}

struct Network {
  1: required string id
  2: optional list<NetworkType> types
}

enum DatastoreType {
  LOCAL_VMFS = 0
  SHARED_VMFS = 1
  NFS_3 = 2
  NFS_41 = 3
  VSAN = 4
  EXT3 = 5
  OTHER = 99
}

struct Datastore {
  1: required string id
  2: optional string name
  3: optional DatastoreType type
  4: optional set<string> tags
}

// Both generations of HostConfig: fields 6-8 are the 2015 layout, 10-14 the 2016 one.
struct HostConfig {
  1: required string agent_id
  2: required string availability_zone
  3: required list<Datastore> datastores
  4: required ServerAddress address
  5: optional list<Network> networks
  6: optional binary hypervisor
  7: optional Roles roles
  8: optional string image_datastore_id
  9: optional bool management_only
  10: optional set<string> image_datastore_ids
  11: optional i32 memory_mb
  12: optional i32 cpu_count
  13: optional string esx_version
  14: optional string deployment_id
}

struct GetConfigRequest {
  1: optional string agent_id
}

enum GetConfigResultCode {
  OK = 0
  SYSTEM_ERROR = 1
}

struct GetConfigResponse {
  1: required GetConfigResultCode result
  2: optional string error
  3: optional HostConfig hostConfig
}

struct ConfigureRequest {
  1: required string scheduler
  2: required Roles roles
  4: optional string host_id
  99: optional TracingInfo tracing_info
}

enum ConfigureResultCode {
  OK = 0
  SYSTEM_ERROR = 1
  NOT_LEADER = 2
}

struct ConfigureResponse {
  1: required ConfigureResultCode result
  2: optional string error
}

struct PingRequest {
  1: optional string scheduler_id
  2: optional i32 sequence_number
}

struct RegisterHostRequest {
  1: required string id
  2: required HostConfig config
}

enum RegisterHostResultCode {
  OK = 0
  SYSTEM_ERROR = 1
  INVALID_FAULT_DOMAIN = 2
  NOT_LEADER = 3
  NOT_IN_MAJORITY = 4
}

struct RegisterHostResponse {
  1: required RegisterHostResultCode result
  2: optional string error
}

struct ReportMissingRequest {
  1: required string scheduler_id
  2: optional list<string> schedulers
  3: optional list<string> hosts
}

enum ReportMissingResultCode {
  OK = 0
  SYSTEM_ERROR = 1
  NOT_LEADER = 2
  NOT_IN_MAJORITY = 3
}

struct ReportMissingResponse {
  1: required ReportMissingResultCode result
  2: optional string error
}

struct ReportResurrectedRequest {
  1: required string scheduler_id
  2: optional list<string> schedulers
  3: optional list<string> hosts
}

enum ReportResurrectedResultCode {
  OK = 0
  SYSTEM_ERROR = 1
  NOT_IN_MAJORITY = 2
}

struct ReportResurrectedResponse {
  1: required ReportResurrectedResultCode result
  2: optional string error
}

struct UnregisterHostRequest {
  1: required string id
}

enum UnregisterHostResultCode {
  OK = 0
  SYSTEM_ERROR = 1
  NOT_IN_MAJORITY = 2
}

struct UnregisterHostResponse {
  1: required UnregisterHostResultCode result
  2: optional string error
}

service Chairman {
  GetSchedulersResponse get_schedulers(1: GetSchedulersRequest request)
  Status get_status(1: GetStatusRequest request)
  RegisterHostResponse register_host(1: RegisterHostRequest request)
  ReportMissingResponse report_missing(1: ReportMissingRequest request)
  ReportResurrectedResponse report_resurrected(1: ReportResurrectedRequest request)
  UnregisterHostResponse unregister_host(1: UnregisterHostRequest request)
}

service RootScheduler {
  GetSchedulersResponse get_schedulers()
  Status get_status(1: GetStatusRequest request)
  ConfigureResponse configure(1: ConfigureRequest request)
}

service Host {
  GetConfigResponse get_host_config(1: GetConfigRequest request)
  ConfigureResponse configure(1: ConfigureRequest request)
}

service AgentControl {
  GetSchedulersResponse get_schedulers(1: GetSchedulersRequest request)
  void ping(1: PingRequest request)
}
