-- No table changes. From this migration on, fact_versions.value may hold a
-- packed value (a BLOB: a dictionary id byte, then the canonical JSON deflated
-- against that dictionary; src/store/value-codec.ts) for the kinds it lists,
-- and snapshot_sources.stats a packed text alike. The migration marks the
-- files that may hold them, so that a treesnap built before it refuses such a
-- file as newer than it understands, rather than misreading a packed text.
SELECT 1;
