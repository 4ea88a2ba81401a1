// Realistic HostConfigs for simulated agents: what an ESX host's agent reports
// at registration. Hosts of one simulated fleet share datastores, networks and
// a deployment id, as hosts of one Photon deployment do; each also has a local
// datastore of its own.
import { randomUUID } from 'node:crypto';
import photon from '../generated/thrift/photon_types.js';
import type { Endpoint, HostId } from '../model/ids.js';

export interface Fleet {
  deploymentId: string;
  sharedDatastores: photon.Datastore[];
  networks: photon.Network[];
  imageDatastoreIds: string[];
  availabilityZones: string[];
}

export function newFleet(): Fleet {
  const shared = [
    new photon.Datastore({ id: randomUUID(), name: 'vsan-ds-01', type: photon.DatastoreType.VSAN, tags: ['SHARED_VMFS'] }),
    new photon.Datastore({ id: randomUUID(), name: 'nfs-images', type: photon.DatastoreType.NFS_41, tags: ['NFS'] }),
  ];
  return {
    deploymentId: randomUUID(),
    sharedDatastores: shared,
    networks: [
      new photon.Network({ id: 'VM Network', types: [photon.NetworkType.VM] }),
      new photon.Network({ id: 'Management Network', types: [photon.NetworkType.MANAGEMENT, photon.NetworkType.VMOTION] }),
    ],
    imageDatastoreIds: [shared[1]!.id],
    availabilityZones: ['az-1', 'az-2', 'az-3', 'az-4'],
  };
}

/** The config of the fleet's `index`-th host; index varies the sizes so hosts are not all alike. */
export function fakeHostConfig(fleet: Fleet, index: number, id: HostId, address: Endpoint): photon.HostConfig {
  const local = new photon.Datastore({
    id: randomUUID(),
    name: `datastore-local-${index + 1}`,
    type: photon.DatastoreType.LOCAL_VMFS,
  });
  return new photon.HostConfig({
    agent_id: id,
    availability_zone: fleet.availabilityZones[index % fleet.availabilityZones.length]!,
    datastores: [...fleet.sharedDatastores, local],
    address: new photon.ServerAddress({ host: address.host, port: address.port }),
    networks: fleet.networks,
    image_datastore_ids: fleet.imageDatastoreIds,
    memory_mb: index % 3 === 0 ? 524_288 : 262_144,
    cpu_count: index % 2 === 0 ? 48 : 32,
    esx_version: '6.0.0',
    deployment_id: fleet.deploymentId,
  });
}
