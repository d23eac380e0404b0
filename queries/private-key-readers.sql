-- private-key-readers: every private-key secret with how many identities can read it and its worst severity.
-- readers counts the unexpected readers (the findings of `keyreach exposure`), expected the
-- expected holders (system:masters, controllers, cert-manager...); severity is exposure's, judged
-- at import with the default expected holders (an --allow file is not applied). Worst first.
-- example: keyreach query private-key-readers -o json
-- param namespace: only secrets of this namespace, "" for every namespace (default "")
-- param snapshot: snapshot name (default "default")
SELECT k.namespace, k.name, k.key_kind, k.severity, k.unexpected_readers AS readers, k.expected_readers AS expected,
       (SELECT group_concat(reason, '; ')
        FROM (SELECT reason FROM private_key_reason WHERE private_key_id = k.id ORDER BY idx)) AS reasons
FROM private_key k
JOIN snapshot snap ON snap.id = k.snapshot_id
WHERE snap.name = :snapshot
  AND (:namespace = '' OR k.namespace = :namespace)
ORDER BY k.severity_rank DESC, k.unexpected_readers DESC, k.namespace, k.name
