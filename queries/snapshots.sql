-- snapshots: every stored snapshot: when and from what it was imported, how many objects
-- it holds, and which engine version computed its derived tables (NULL: not computed yet).
-- example: keyreach query snapshots
SELECT s.name, s.created_at, s.source,
       (SELECT coalesce(sum(count), 0) FROM snapshot_kind_count c WHERE c.snapshot_id = s.id) AS objects,
       d.engine_version AS derived_engine_version
FROM snapshot s LEFT JOIN derived_meta d ON d.snapshot_id = s.id
ORDER BY s.name
