#!/usr/bin/python3
"""Writes ZooKeeper value fixtures with a second, independent Thrift implementation.

Debian's python3-thrift (Apache Thrift's Python library, the runtime the
original Photon agent and tools used) serializes the structs below, each
declared by hand from /work/shared/photon-protocol.md rather than generated
from treesnap's own IDL, so a wrong field id or type in thrift/photon.thrift
shows up as a failing decode test instead of agreeing with itself.

Outputs (commit them; rerun only when the fixtures should change):
  test/fixtures/<name>.bin          one Thrift binary value each, as stored in ZooKeeper
  test/fixtures/zk-values.json      for each .bin: the decoder to use and the expected result

Every value is written twice, with the pure-Python TBinaryProtocol and with
the C-accelerated one (fastbinary); the script fails unless the bytes agree.

Usage: /usr/bin/python3 scripts/make-fixtures.py   (Debian's python, not pyenv's)
"""

import json
import os
import sys

from thrift.protocol import TBinaryProtocol
from thrift.protocol.TBase import TBase
from thrift.Thrift import TType
from thrift.TSerialization import serialize


def struct(name, fields):
    """A TBase subclass from (id, ttype, name, type_args) tuples; field ids must be 1..n without gaps."""
    spec = [None]
    for fid, ttype, fname, targs in fields:
        assert fid == len(spec), "field ids must be contiguous from 1"
        spec.append((fid, ttype, fname, targs, None))
    slots = tuple(f[2] for f in fields)

    def __init__(self, **kwargs):
        unknown = set(kwargs) - set(slots)
        assert not unknown, "unknown fields %s for %s" % (unknown, name)
        for slot in slots:
            setattr(self, slot, kwargs.get(slot))

    cls = type(name, (TBase,), {"__slots__": slots, "__init__": __init__})
    cls.thrift_spec = tuple(spec)
    return cls


def struct_of(cls):
    return [cls, cls.thrift_spec]


# --- Structs, field ids and types from the protocol contract -----------------

ServerAddress = struct("ServerAddress", [
    (1, TType.STRING, "host", "UTF8"),
    (2, TType.I32, "port", None),
])

# The contract says treesnap skips ChildInfo.constraints without defining its
# fields; these two are illustrative, there to make the decoder skip real
# nested content (an enum and a list of strings).
ResourceConstraint = struct("ResourceConstraint", [
    (1, TType.I32, "type", None),
    (2, TType.LIST, "values", (TType.STRING, "UTF8", False)),
])

ChildInfo = struct("ChildInfo", [
    (1, TType.STRING, "id", "UTF8"),
    (2, TType.STRING, "address", "UTF8"),
    (3, TType.I32, "port", None),
    (4, TType.LIST, "constraints", (TType.STRUCT, struct_of(ResourceConstraint), False)),
    (5, TType.I32, "weight", None),
    (6, TType.STRING, "owner_host", "UTF8"),
])

SchedulerRole = struct("SchedulerRole", [
    (1, TType.STRING, "id", "UTF8"),
    (2, TType.STRING, "parent_id", "UTF8"),
    (3, TType.LIST, "schedulers", (TType.STRING, "UTF8", False)),
    (4, TType.LIST, "hosts", (TType.STRING, "UTF8", False)),
    (5, TType.LIST, "scheduler_children", (TType.STRUCT, struct_of(ChildInfo), False)),
    (6, TType.LIST, "host_children", (TType.STRUCT, struct_of(ChildInfo), False)),
])

Roles = struct("Roles", [
    (1, TType.LIST, "schedulers", (TType.STRUCT, struct_of(SchedulerRole), False)),
])

# Enums: NetworkType VM 0, MANAGEMENT 1, ..., OTHER 99; DatastoreType LOCAL_VMFS 0,
# SHARED_VMFS 1, NFS_3 2, NFS_41 3, VSAN 4, EXT3 5, OTHER 99.
Network = struct("Network", [
    (1, TType.STRING, "id", "UTF8"),
    (2, TType.LIST, "types", (TType.I32, None, False)),
])

Datastore = struct("Datastore", [
    (1, TType.STRING, "id", "UTF8"),
    (2, TType.STRING, "name", "UTF8"),
    (3, TType.I32, "type", None),
    (4, TType.SET, "tags", (TType.STRING, "UTF8", False)),
])

HostConfig = struct("HostConfig", [
    (1, TType.STRING, "agent_id", "UTF8"),
    (2, TType.STRING, "availability_zone", "UTF8"),
    (3, TType.LIST, "datastores", (TType.STRUCT, struct_of(Datastore), False)),
    (4, TType.STRUCT, "address", struct_of(ServerAddress)),
    (5, TType.LIST, "networks", (TType.STRUCT, struct_of(Network), False)),
    (6, TType.STRING, "hypervisor", "BINARY"),  # 2015 only
    (7, TType.STRUCT, "roles", struct_of(Roles)),  # 2015 only
    (8, TType.STRING, "image_datastore_id", "UTF8"),  # 2015
    (9, TType.BOOL, "management_only", None),
    (10, TType.SET, "image_datastore_ids", (TType.STRING, "UTF8", False)),  # 2016
    (11, TType.I32, "memory_mb", None),
    (12, TType.I32, "cpu_count", None),
    (13, TType.STRING, "esx_version", "UTF8"),
    (14, TType.STRING, "deployment_id", "UTF8"),
])

# --- Values -------------------------------------------------------------------
# Sets are given as lists so the byte order is deterministic (a Python set of
# strings iterates in hash order, which changes from run to run).

LEAF_ID = "6f1c6a55-3d4e-4c1b-9a57-0d2b5e0f7a11"

leaf_role = SchedulerRole(
    id=LEAF_ID,
    parent_id="ROOT",
    hosts=["host-a", "host-b"],
    host_children=[
        ChildInfo(id="host-a", address="10.0.0.11", port=8835, weight=1,
                  constraints=[ResourceConstraint(type=0, values=["ds-shared"])]),
        ChildInfo(id="host-b", address="10.0.0.12", port=8836, owner_host="host-a"),
    ],
)

FIXTURES = [
    {
        "file": "zk-server-address.bin",
        "decoder": "ServerAddress",
        "value": ServerAddress(host="chairman-1.example", port=13000),
        "expected": {"host": "chairman-1.example", "port": 13000},
    },
    {
        "file": "zk-roles-leaf.bin",
        "decoder": "Roles",
        "value": Roles(schedulers=[leaf_role]),
        "expected": {
            "schedulers": [{
                "id": LEAF_ID,
                "parentId": "ROOT",
                "schedulers": [],
                "hosts": ["host-a", "host-b"],
                "schedulerChildren": [],
                "hostChildren": [
                    {"id": "host-a", "address": {"host": "10.0.0.11", "port": 8835}, "weight": 1, "ownerHost": None},
                    {"id": "host-b", "address": {"host": "10.0.0.12", "port": 8836}, "weight": None, "ownerHost": "host-a"},
                ],
            }],
        },
    },
    {
        "file": "zk-host-config-2015.bin",
        "decoder": "HostConfig",
        "value": HostConfig(
            agent_id="host-a",
            availability_zone="zone-\u00fc",
            datastores=[Datastore(id="ds-local", name="datastore1", type=0, tags=["ssd", "local"]),
                        Datastore(id="ds-shared", type=1)],
            address=ServerAddress(host="10.0.0.11", port=8835),
            networks=[Network(id="VM Network", types=[0, 1]), Network(id="vMotion")],
            hypervisor=b"\x00\xffESX\x01",
            roles=Roles(schedulers=[leaf_role]),
            image_datastore_id="ds-shared",
            management_only=False,
        ),
        "expected": {
            "id": "host-a",
            "address": {"host": "10.0.0.11", "port": 8835},
            "availabilityZone": "zone-\u00fc",
            "datastores": [
                {"id": "ds-local", "name": "datastore1", "type": "LOCAL_VMFS", "tags": ["local", "ssd"]},
                {"id": "ds-shared", "name": None, "type": "SHARED_VMFS", "tags": []},
            ],
            "networks": [{"id": "VM Network", "types": ["VM", "MANAGEMENT"]}, {"id": "vMotion", "types": []}],
            "imageDatastoreIds": ["ds-shared"],
            "managementOnly": False,
            "memoryMb": None,
            "cpuCount": None,
            "esxVersion": None,
            "deploymentId": None,
        },
    },
    {
        "file": "zk-host-config-2016.bin",
        "decoder": "HostConfig",
        "value": HostConfig(
            agent_id="host-b",
            availability_zone="zone-1",
            datastores=[Datastore(id="ds-nfs", name="nfs", type=3, tags=["shared"]),
                        Datastore(id="ds-new", name="from the future", type=42)],
            address=ServerAddress(host="esx-b.example", port=8836),
            networks=[Network(id="mgmt", types=[1, 99, 7])],
            management_only=True,
            image_datastore_ids=["ds-nfs", "ds-b-image"],
            memory_mb=262144,
            cpu_count=48,
            esx_version="6.0.0",
            deployment_id="deployment-7",
        ),
        "expected": {
            "id": "host-b",
            "address": {"host": "esx-b.example", "port": 8836},
            "availabilityZone": "zone-1",
            "datastores": [
                {"id": "ds-nfs", "name": "nfs", "type": "NFS_41", "tags": ["shared"]},
                {"id": "ds-new", "name": "from the future", "type": "UNKNOWN(42)", "tags": []},
            ],
            "networks": [{"id": "mgmt", "types": ["MANAGEMENT", "OTHER", "UNKNOWN(7)"]}],
            "imageDatastoreIds": ["ds-b-image", "ds-nfs"],
            "managementOnly": True,
            "memoryMb": 262144,
            "cpuCount": 48,
            "esxVersion": "6.0.0",
            "deploymentId": "deployment-7",
        },
    },
]


def encode(value):
    pure = serialize(value, TBinaryProtocol.TBinaryProtocolFactory())
    fast = serialize(value, TBinaryProtocol.TBinaryProtocolAcceleratedFactory())
    if pure != fast:
        sys.exit("pure and accelerated encoders disagree for %s" % type(value).__name__)
    return pure


def main():
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
    os.makedirs(out_dir, exist_ok=True)
    index = {}
    for fx in FIXTURES:
        data = encode(fx["value"])
        with open(os.path.join(out_dir, fx["file"]), "wb") as f:
            f.write(data)
        index[fx["file"]] = {"decoder": fx["decoder"], "bytes": len(data), "expected": fx["expected"]}
        print("%-28s %5d bytes" % (fx["file"], len(data)))
    with open(os.path.join(out_dir, "zk-values.json"), "w", encoding="utf-8") as f:
        json.dump({
            "generator": "scripts/make-fixtures.py (python3-thrift, TBinaryProtocol)",
            "fixtures": index,
        }, f, indent=2, ensure_ascii=False, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
