// A /roles/<owner> value (Thrift Roles) as plain, checked data: required
// fields are present, endpoints are usable, absent optional lists are empty.
import type { Endpoint, HostId, SchedulerId } from '../../model/ids.js';

export interface ChildInfoValue {
  id: string;
  address: Endpoint;
  weight: number | null;
  ownerHost: HostId | null;
}

export interface SchedulerRoleValue {
  id: SchedulerId;
  parentId: SchedulerId | null;
  schedulers: SchedulerId[];
  hosts: HostId[];
  schedulerChildren: ChildInfoValue[];
  hostChildren: ChildInfoValue[];
}

export interface RolesValue {
  schedulers: SchedulerRoleValue[];
}
