-- key-copies: every private key held by more than one secret, with each copy and how it came to hold the key.
-- Keys are grouped at import by keyreach's key identity (the same certificate public key, or a
-- replicator, reflector or kubed annotation that copies the secret); `keyreach exposure` shows
-- the same keys once each, with these copies. A row with via "listed" is the secret the key is
-- listed under; whoever reads any row's secret holds the key.
-- example: keyreach query key-copies -o json
-- param snapshot: snapshot name (default "default")
SELECT k.key_id AS key, k.namespace, k.name, COALESCE(k.copy_via, 'listed') AS via, k.severity,
       holders.count AS holders
FROM private_key k
JOIN snapshot snap ON snap.id = k.snapshot_id
JOIN (SELECT snapshot_id, key_id, count(*) AS count FROM private_key GROUP BY snapshot_id, key_id) holders
  ON holders.snapshot_id = k.snapshot_id AND holders.key_id = k.key_id
WHERE snap.name = :snapshot AND holders.count > 1
ORDER BY k.key_id, k.copy_via IS NOT NULL, k.namespace, k.name
