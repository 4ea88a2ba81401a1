// A registered host as read from /hosts/<id> (HostConfig, either generation),
// flattened to plain data for storing and comparing.
import type { Endpoint, HostId } from './ids.js';

export interface DatastoreInfo {
  id: string;
  name: string | null;
  type: string | null;
  tags: string[];
}

export interface NetworkInfo {
  id: string;
  types: string[];
}

export interface HostRegistration {
  id: HostId;
  address: Endpoint;
  availabilityZone: string;
  datastores: DatastoreInfo[];
  networks: NetworkInfo[];
  /** 2016: image_datastore_ids; 2015: the single image_datastore_id. Sorted. */
  imageDatastoreIds: string[];
  managementOnly: boolean | null;
  memoryMb: number | null;
  cpuCount: number | null;
  esxVersion: string | null;
  deploymentId: string | null;
}
