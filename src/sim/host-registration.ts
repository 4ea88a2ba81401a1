// A HostConfig flattened to treesnap's HostRegistration, with the conventions
// treesnap's ZooKeeper reader uses (enum values by IDL name, tag and image
// datastore lists sorted), so the simulator's truth compares directly with
// what treesnap reads back.
import photon from '../generated/thrift/photon_types.js';
import type { HostRegistration } from '../model/host-config.js';
import type { HostId } from '../model/ids.js';

export function hostRegistration(id: HostId, config: photon.HostConfig): HostRegistration {
  return {
    id,
    address: { host: config.address.host, port: config.address.port },
    availabilityZone: config.availability_zone,
    datastores: config.datastores.map((d) => ({
      id: d.id,
      name: d.name ?? null,
      type: d.type === undefined || d.type === null ? null : enumName(photon.DatastoreType, d.type),
      tags: [...(d.tags ?? [])].sort(),
    })),
    networks: (config.networks ?? []).map((n) => ({ id: n.id, types: (n.types ?? []).map((t) => enumName(photon.NetworkType, t)) })),
    imageDatastoreIds: imageDatastoreIds(config),
    managementOnly: config.management_only ?? null,
    memoryMb: config.memory_mb ?? null,
    cpuCount: config.cpu_count ?? null,
    esxVersion: config.esx_version ?? null,
    deploymentId: config.deployment_id ?? null,
  };
}

function imageDatastoreIds(config: photon.HostConfig): string[] {
  if (config.image_datastore_ids) return [...config.image_datastore_ids].sort();
  if (typeof config.image_datastore_id === 'string') return [config.image_datastore_id];
  return [];
}

function enumName(enumObject: object, value: number): string {
  for (const [name, n] of Object.entries(enumObject)) {
    if (n === value) return name;
  }
  return `UNKNOWN(${value})`;
}
