-- key-readers-across-namespaces: identities that can read private keys in more than one namespace.
-- From read_access (the engine's grants joined to the identities they reach) and private_key:
-- a grant reaches a key when its namespace is NULL (every namespace) or the key's, and its
-- secret_name is NULL (every name) or the key's. An identity with a grant on every secret of
-- every namespace reaches every key and is counted without joining each key. Expected holders
-- such as system:masters are listed too: they are broad by design. Broadest first.
-- example: keyreach query key-readers-across-namespaces
-- param snapshot: snapshot name (default "default")
WITH snap AS (
    SELECT id FROM snapshot WHERE name = :snapshot
),
access AS (
    SELECT DISTINCT a.kind, a.identity_namespace, a.identity_name, a.namespace, a.secret_name
    FROM snap JOIN read_access a ON a.snapshot_id = snap.id
),
every_key AS (
    SELECT count(DISTINCT k.namespace) AS namespaces, count(*) AS keys
    FROM snap JOIN private_key k ON k.snapshot_id = snap.id
),
everywhere AS (
    SELECT DISTINCT kind, identity_namespace, identity_name FROM access WHERE namespace IS NULL AND secret_name IS NULL
),
-- Three joins the indexes serve (by namespace, by namespace and name, by name) rather than one
-- join on "NULL or equal", which SQLite can only answer by pairing every grant with every key.
scoped AS (
    SELECT a.* FROM access a
    WHERE NOT EXISTS (SELECT 1 FROM everywhere e WHERE e.kind = a.kind
                        AND e.identity_namespace = a.identity_namespace AND e.identity_name = a.identity_name)
),
reach AS (
    SELECT a.kind, a.identity_namespace, a.identity_name, k.namespace AS key_namespace, k.id AS key_id
    FROM scoped a CROSS JOIN snap
    JOIN private_key k ON k.snapshot_id = snap.id AND k.namespace = a.namespace
    WHERE a.namespace IS NOT NULL AND a.secret_name IS NULL
    UNION ALL
    SELECT a.kind, a.identity_namespace, a.identity_name, k.namespace, k.id
    FROM scoped a CROSS JOIN snap
    JOIN private_key k ON k.snapshot_id = snap.id AND k.namespace = a.namespace AND k.name = a.secret_name
    WHERE a.namespace IS NOT NULL AND a.secret_name IS NOT NULL
    UNION ALL
    SELECT a.kind, a.identity_namespace, a.identity_name, k.namespace, k.id
    FROM scoped a CROSS JOIN snap
    JOIN private_key k ON k.snapshot_id = snap.id AND k.name = a.secret_name
    WHERE a.namespace IS NULL AND a.secret_name IS NOT NULL
)
SELECT e.kind, e.identity_namespace AS namespace, e.identity_name AS name, k.namespaces, k.keys
FROM everywhere e CROSS JOIN every_key k
WHERE k.namespaces > 1
UNION ALL
SELECT kind, identity_namespace, identity_name, count(DISTINCT key_namespace), count(DISTINCT key_id)
FROM reach
GROUP BY kind, identity_namespace, identity_name
HAVING count(DISTINCT key_namespace) > 1
ORDER BY 4 DESC, 5 DESC, 1, 2, 3
