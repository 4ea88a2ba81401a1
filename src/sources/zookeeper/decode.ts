// Decoders for the three kinds of ZooKeeper value treesnap reads, from Thrift
// binary bytes to checked plain data. Pure; never throws.
//
// The thrift runtime does not enforce `required` (an absent field reads as
// null), so each decoder checks required fields itself. An optional field sent
// with the wrong wire type is skipped by the generated reader and reads as
// absent; that is also what the Java and Python runtimes do, so it is kept.
//
// Endpoints are checked beyond the IDL: an empty host or a port outside
// 1..65535 is rejected, because such an address cannot be probed (node's
// net.connect throws on a bad port and treats an empty host as localhost).
import photon from '../../generated/thrift/photon_types.js';
import type { DatastoreInfo, HostRegistration, NetworkInfo } from '../../model/host-config.js';
import type { Endpoint } from '../../model/ids.js';
import { err, ok, type Result } from '../../model/result.js';
import { decodeError, decodeStruct, type DecodeError } from './decode-struct.js';
import type { ChildInfoValue, RolesValue, SchedulerRoleValue } from './roles-value.js';

export type { DecodeError } from './decode-struct.js';

export function decodeServerAddress(bytes: Buffer): Result<Endpoint, DecodeError> {
  return decodeThen(photon.ServerAddress, 'ServerAddress', bytes, (v) => toEndpoint(v, 'ServerAddress'));
}

export function decodeRoles(bytes: Buffer): Result<RolesValue, DecodeError> {
  return decodeThen(photon.Roles, 'Roles', bytes, (v) => ({
    schedulers: (v.schedulers ?? []).map((role, i) => toSchedulerRole(role, `Roles.schedulers[${i}]`)),
  }));
}

/** Either HostConfig generation (2015: fields 6-8, 2016: fields 10-14). */
export function decodeHostConfig(bytes: Buffer): Result<HostRegistration, DecodeError> {
  return decodeThen(photon.HostConfig, 'HostConfig', bytes, toHostRegistration);
}

/** Raised inside a mapping only; decodeThen turns it into a DecodeError value. */
class MissingOrInvalid extends Error {}

function decodeThen<S extends object, T>(
  cls: new () => S,
  name: string,
  bytes: Buffer,
  map: (value: S) => T,
): Result<T, DecodeError> {
  const decoded = decodeStruct(cls, name, bytes);
  if (!decoded.ok) return decoded;
  try {
    return ok(map(decoded.value));
  } catch (e) {
    if (e instanceof MissingOrInvalid) return err(decodeError(e.message));
    throw e;
  }
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new MissingOrInvalid(`required field ${field} is missing`);
  return value;
}

function requiredNumber(value: unknown, field: string): number {
  if (typeof value !== 'number') throw new MissingOrInvalid(`required field ${field} is missing`);
  return value;
}

function requiredList<T>(value: T[] | null | undefined, field: string): T[] {
  if (!Array.isArray(value)) throw new MissingOrInvalid(`required field ${field} is missing`);
  return value;
}

function optional<T>(value: T | null | undefined): T | null {
  return value ?? null;
}

function endpoint(host: string, port: number, field: string): Endpoint {
  if (host === '') throw new MissingOrInvalid(`${field} has an empty host`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MissingOrInvalid(`${field} has port ${port}, outside 1..65535`);
  }
  return { host, port };
}

function toEndpoint(v: photon.ServerAddress, field: string): Endpoint {
  return endpoint(requiredString(v.host, `${field}.host`), requiredNumber(v.port, `${field}.port`), field);
}

function toChildInfo(v: photon.ChildInfo, field: string): ChildInfoValue {
  return {
    id: requiredString(v.id, `${field}.id`),
    address: endpoint(requiredString(v.address, `${field}.address`), requiredNumber(v.port, `${field}.port`), field),
    weight: optional(v.weight),
    ownerHost: optional(v.owner_host),
  };
}

function toSchedulerRole(v: photon.SchedulerRole, field: string): SchedulerRoleValue {
  return {
    id: requiredString(v.id, `${field}.id`),
    parentId: optional(v.parent_id),
    schedulers: v.schedulers ?? [],
    hosts: v.hosts ?? [],
    schedulerChildren: (v.scheduler_children ?? []).map((c, i) => toChildInfo(c, `${field}.scheduler_children[${i}]`)),
    hostChildren: (v.host_children ?? []).map((c, i) => toChildInfo(c, `${field}.host_children[${i}]`)),
  };
}

function toHostRegistration(v: photon.HostConfig): HostRegistration {
  return {
    id: requiredString(v.agent_id, 'HostConfig.agent_id'),
    address: toEndpoint(requiredStruct(v.address, 'HostConfig.address'), 'HostConfig.address'),
    availabilityZone: requiredString(v.availability_zone, 'HostConfig.availability_zone'),
    datastores: requiredList(v.datastores, 'HostConfig.datastores').map((d, i) => toDatastore(d, `HostConfig.datastores[${i}]`)),
    networks: (v.networks ?? []).map((n, i) => toNetwork(n, `HostConfig.networks[${i}]`)),
    imageDatastoreIds: imageDatastoreIds(v),
    managementOnly: optional(v.management_only),
    memoryMb: optional(v.memory_mb),
    cpuCount: optional(v.cpu_count),
    esxVersion: optional(v.esx_version),
    deploymentId: optional(v.deployment_id),
  };
}

function requiredStruct<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) throw new MissingOrInvalid(`required field ${field} is missing`);
  return value;
}

/** The 2016 set when present (it superseded the 2015 single id), else the 2015 id. */
function imageDatastoreIds(v: photon.HostConfig): string[] {
  if (v.image_datastore_ids) return [...v.image_datastore_ids].sort();
  if (typeof v.image_datastore_id === 'string') return [v.image_datastore_id];
  return [];
}

function toDatastore(v: photon.Datastore, field: string): DatastoreInfo {
  return {
    id: requiredString(v.id, `${field}.id`),
    name: optional(v.name),
    type: v.type === null || v.type === undefined ? null : enumName(photon.DatastoreType, v.type),
    tags: [...(v.tags ?? [])].sort(),
  };
}

function toNetwork(v: photon.Network, field: string): NetworkInfo {
  return {
    id: requiredString(v.id, `${field}.id`),
    types: (v.types ?? []).map((t) => enumName(photon.NetworkType, t)),
  };
}

const enumNames = new WeakMap<object, ReadonlyMap<number, string>>();

/** The IDL name of an enum value; values this IDL does not know are kept as UNKNOWN(n). */
export function enumName(enumObject: object, value: number): string {
  let names = enumNames.get(enumObject);
  if (!names) {
    // Generated enums map both ways (name -> number, "number" -> name); keep the name -> number half.
    names = new Map(Object.entries(enumObject).flatMap(([name, n]) => (typeof n === 'number' ? [[n, name] as const] : [])));
    enumNames.set(enumObject, names);
  }
  return names.get(value) ?? `UNKNOWN(${value})`;
}
