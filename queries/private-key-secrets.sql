-- private-key-secrets: every private-key secret and why it is one, one row per reason.
-- Read from private_key, which `keyreach import` fills with the inventory `keyreach exposure`
-- uses (type, data keys, PEM blocks, cert-manager, issuers, Ingress and Gateway TLS, mesh CAs),
-- so the two never disagree. secret_exists is 0 for a name something refers to that is not in the dump.
-- example: keyreach query private-key-secrets --param namespace=production
-- param namespace: only secrets of this namespace, "" for every namespace (default "")
-- param snapshot: snapshot name (default "default")
SELECT k.namespace, k.name, k.type, k.secret_exists, k.key_kind, r.code AS reason_code, r.reason
FROM private_key k
JOIN snapshot snap ON snap.id = k.snapshot_id
JOIN private_key_reason r ON r.private_key_id = k.id
WHERE snap.name = :snapshot
  AND (:namespace = '' OR k.namespace = :namespace)
ORDER BY k.namespace, k.name, r.idx
