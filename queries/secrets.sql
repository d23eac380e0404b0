-- secrets: every secret with its type and data key names (keyreach never stores a value).
-- keys lists the data keys in the order of the dump; key_bytes is their total decoded size.
-- example: keyreach query secrets --param namespace=production
-- param namespace: only secrets of this namespace, "" for every namespace (default "")
-- param snapshot: snapshot name (default "default")
SELECT s.namespace, s.name, s.type,
       (SELECT group_concat(name, ',') FROM (SELECT name FROM secret_key WHERE secret_id = s.id ORDER BY idx)) AS keys,
       (SELECT coalesce(sum(size), 0) FROM secret_key WHERE secret_id = s.id) AS key_bytes
FROM secret s JOIN snapshot snap ON snap.id = s.snapshot_id
WHERE snap.name = :snapshot
  AND (:namespace = '' OR s.namespace = :namespace)
ORDER BY s.namespace, s.name
