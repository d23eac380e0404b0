-- expiring-certificates: private keys whose certificate expires within N days (or has expired).
-- From private_key_certificate: every certificate kept at import beside a private key
-- (tls.crt, ca.crt...). days_left is negative once expired. Soonest first.
-- example: keyreach query expiring-certificates --param days=90
-- param days: how many days ahead to look (default "30")
-- param now: the moment to count from, ISO 8601; "" for the current time (default "")
-- param snapshot: snapshot name (default "default")
SELECT k.namespace, k.name, c.data_key, c.subject, c.not_after,
       CAST(floor(julianday(c.not_after) - julianday(coalesce(nullif(:now, ''), 'now'))) AS INTEGER) AS days_left,
       k.key_kind, k.severity
FROM private_key k
JOIN snapshot snap ON snap.id = k.snapshot_id
JOIN private_key_certificate c ON c.private_key_id = k.id
WHERE snap.name = :snapshot
  AND c.parse_error IS NULL
  AND julianday(c.not_after) <= julianday(coalesce(nullif(:now, ''), 'now')) + CAST(:days AS REAL)
ORDER BY c.not_after, k.namespace, k.name, c.idx
