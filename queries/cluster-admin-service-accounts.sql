-- cluster-admin-service-accounts: service accounts bound to the ClusterRole cluster-admin, directly or through a group.
-- From read_access: the engine's grants of cluster-admin (which reads every secret) joined to
-- the service accounts they reach; via_principal is the user or group that matched. A
-- RoleBinding to cluster-admin is admin in its namespace only (namespace column).
-- example: keyreach query cluster-admin-service-accounts
-- param snapshot: snapshot name (default "default")
SELECT DISTINCT a.identity_namespace AS service_account_namespace, a.identity_name AS service_account,
       coalesce(a.namespace, '*') AS namespace, a.binding_kind, a.binding_namespace, a.binding_name, a.via_principal
FROM snapshot snap
JOIN read_access a ON a.snapshot_id = snap.id
WHERE snap.name = :snapshot
  AND a.kind = 'ServiceAccount' AND a.via = 'rbac'
  AND a.role_kind = 'ClusterRole' AND a.role_name = 'cluster-admin'
ORDER BY 1, 2, 3, 4, 5, 6
