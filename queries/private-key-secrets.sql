-- private-key-secrets: secrets whose own content shows a private key, one row per reason.
-- Reasons: type kubernetes.io/tls or kubernetes.io/ssh-auth; a data key named *.key
-- (tls.key, ca.key, ...); a PEM block whose type names a PRIVATE KEY, found at import.
-- `keyreach exposure` adds the reasons found elsewhere (cert-manager Certificates and
-- Issuers, Ingress and Gateway TLS references), also for secrets not in the dump.
-- param namespace: only secrets of this namespace, "" for every namespace (default "")
-- param snapshot: snapshot name (default "default")
WITH candidate AS (
    SELECT s.id, s.namespace, s.name, s.type
    FROM secret s JOIN snapshot snap ON snap.id = s.snapshot_id
    WHERE snap.name = :snapshot
      AND (:namespace = '' OR s.namespace = :namespace)
),
reason AS (
    SELECT c.id, -1 AS idx, 'type ' || c.type AS reason
    FROM candidate c
    WHERE c.type IN ('kubernetes.io/tls', 'kubernetes.io/ssh-auth')
    UNION ALL
    SELECT c.id, k.idx, 'key ' || k.name
    FROM candidate c JOIN secret_key k ON k.secret_id = c.id
    WHERE k.name GLOB '*.key'
    UNION ALL
    SELECT c.id, k.idx, 'PEM ' || pem.value || ' in ' || k.name
    FROM candidate c JOIN secret_key k ON k.secret_id = c.id, json_each(k.pem_types) pem
    WHERE pem.value LIKE '%PRIVATE KEY'
    GROUP BY c.id, k.idx, pem.value
)
SELECT c.namespace, c.name, c.type, r.reason
FROM reason r JOIN candidate c ON c.id = r.id
ORDER BY c.namespace, c.name, r.idx, r.reason
