-- bindings-missing-role: bindings whose role is not in the dump, which therefore grant nothing.
-- A RoleBinding's Role is looked for in its namespace, a ClusterRole cluster-wide; a
-- ClusterRoleBinding that names a Role can never find one. A dump without ClusterRoles lists
-- every binding to one: dump clusterroles too.
-- example: keyreach query bindings-missing-role
-- param snapshot: snapshot name (default "default")
SELECT b.kind, b.namespace, b.name, b.role_ref_kind, b.role_ref_name,
       CASE WHEN b.kind = 'ClusterRoleBinding' AND b.role_ref_kind = 'Role'
            THEN 'a ClusterRoleBinding cannot refer to a Role'
            ELSE 'no ' || b.role_ref_kind || ' ' || b.role_ref_name || ' in the dump' END AS problem
FROM binding b
JOIN snapshot snap ON snap.id = b.snapshot_id
WHERE snap.name = :snapshot
  AND NOT EXISTS (
      SELECT 1 FROM role r
      WHERE r.snapshot_id = b.snapshot_id AND r.kind = b.role_ref_kind AND r.name = b.role_ref_name
        AND r.namespace = CASE WHEN b.role_ref_kind = 'Role' THEN b.namespace ELSE '' END)
ORDER BY b.kind, b.namespace, b.name
