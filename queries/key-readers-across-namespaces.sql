-- key-readers-across-namespaces: identities that can read private keys in more than one namespace.
-- From read_access (the engine's grants joined to the identities they reach) and private_key:
-- a grant reaches a key when its namespace is NULL (every namespace) or the key's, and its
-- secret_name is NULL (every name) or the key's. Expected holders such as system:masters
-- are listed too: they are broad by design. Broadest first.
-- example: keyreach query key-readers-across-namespaces
-- param snapshot: snapshot name (default "default")
WITH snap AS (
    SELECT id FROM snapshot WHERE name = :snapshot
),
reach AS (
    SELECT DISTINCT a.kind, a.identity_namespace, a.identity_name, k.namespace AS key_namespace, k.name AS key_name
    FROM snap
    JOIN read_access a ON a.snapshot_id = snap.id
    JOIN private_key k ON k.snapshot_id = snap.id
     AND (a.namespace IS NULL OR a.namespace = k.namespace)
     AND (a.secret_name IS NULL OR a.secret_name = k.name)
)
SELECT kind, identity_namespace AS namespace, identity_name AS name,
       count(DISTINCT key_namespace) AS namespaces, count(*) AS keys,
       (SELECT group_concat(key_namespace, ',')
        FROM (SELECT DISTINCT r.key_namespace FROM reach r
              WHERE r.kind = reach.kind AND r.identity_namespace = reach.identity_namespace
                AND r.identity_name = reach.identity_name
              ORDER BY r.key_namespace)) AS key_namespaces
FROM reach
GROUP BY kind, identity_namespace, identity_name
HAVING count(DISTINCT key_namespace) > 1
ORDER BY namespaces DESC, keys DESC, kind, namespace, name
