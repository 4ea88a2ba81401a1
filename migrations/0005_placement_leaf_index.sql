-- Written by drizzle-kit, then mended by hand: it split the expression at its comma.
CREATE INDEX `fact_versions_leaf_idx` ON `fact_versions` (`cluster`,json_extract(value, '$.leaf'),`from_snapshot`) WHERE source = 'zk.roles' AND json_valid(value);
