-- bindings-to-secrets: every binding whose role lets a subject read secrets (get, list or watch).
-- One row per binding, subject and scope, from the engine's grants: namespace "*" is every
-- namespace (a ClusterRoleBinding), secret_name "*" every secret in scope (no resourceNames).
-- subject_namespace is already defaulted to the RoleBinding's for a ServiceAccount.
-- example: keyreach query bindings-to-secrets
-- param snapshot: snapshot name (default "default")
SELECT g.binding_kind, g.binding_namespace, g.binding_name, g.role_kind, g.role_name,
       g.subject_kind, g.subject_namespace, g.subject_name,
       coalesce(g.namespace, '*') AS namespace, coalesce(g.secret_name, '*') AS secret_name,
       trim(CASE WHEN max(g.verb = 'get') THEN 'get ' ELSE '' END
         || CASE WHEN max(g.verb = 'list') THEN 'list ' ELSE '' END
         || CASE WHEN max(g.verb = 'watch') THEN 'watch' ELSE '' END) AS verbs
FROM secret_grant g JOIN snapshot snap ON snap.id = g.snapshot_id
WHERE snap.name = :snapshot
GROUP BY g.binding_kind, g.binding_namespace, g.binding_name, g.role_kind, g.role_name,
         g.subject_kind, g.subject_namespace, g.subject_name, g.namespace, g.secret_name
ORDER BY g.binding_kind, g.binding_namespace, g.binding_name,
         g.subject_kind, g.subject_namespace, g.subject_name, 9, 10
