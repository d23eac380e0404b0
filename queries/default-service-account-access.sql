-- default-service-account-access: every `default` service account with any secret access, and the grant behind it.
-- The `kubectl auth can-i get secrets --as=system:serviceaccount:NS:default -n NS` check for
-- every namespace at once, and more: one row per verb, scope and binding. namespace and
-- secret_name "*" mean every namespace and every secret in scope; collection is 1 when the
-- grant covers the whole collection (can-i without a name says yes).
-- example: keyreach query default-service-account-access --param namespace=production
-- param namespace: only the default service account of this namespace, "" for every namespace (default "")
-- param snapshot: snapshot name (default "default")
SELECT a.identity_namespace AS service_account_namespace, a.verb,
       coalesce(a.namespace, '*') AS namespace, coalesce(a.secret_name, '*') AS secret_name,
       a.secret_name IS NULL AS collection,
       a.binding_kind, a.binding_namespace, a.binding_name, a.role_kind, a.role_name, a.rule_index,
       a.via_principal
FROM snapshot snap
JOIN read_access a ON a.snapshot_id = snap.id
WHERE snap.name = :snapshot
  AND a.kind = 'ServiceAccount' AND a.identity_name = 'default'
  AND (:namespace = '' OR a.identity_namespace = :namespace)
ORDER BY a.identity_namespace, a.verb, 3, 4, a.binding_kind, a.binding_namespace, a.binding_name, a.rule_index
