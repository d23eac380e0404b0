-- who-can-secret: every identity allowed to VERB one secret, with the grant that allows it.
-- One row per identity and path: "rbac" rows name the binding, role and rule, and the
-- user or group name (via_principal) through which the identity matched the subject;
-- "superuser" rows are the members of system:masters, which bypasses RBAC; "node" rows
-- are kubelets allowed by the node authorizer because a pod bound to the node
-- references the secret (pod_namespace, pod_name, pod_source).
-- subject_* name the binding subject that matched (ServiceAccount namespace defaulted);
-- username and groups are the identity's own (groups as a JSON array).
-- A secret that does not exist is still answered: RBAC does not look.
-- example: keyreach query who-can-secret --param verb=get --param namespace=production --param name=app-tls
-- param verb: get, list or watch
-- param namespace: the secret's namespace
-- param name: the secret's name
-- param snapshot: snapshot name (default "default")
WITH snap AS (
    SELECT id FROM snapshot WHERE name = :snapshot
),
-- Grants of every namespace (NULL, a ClusterRoleBinding) and of the secret's own,
-- as two index lookups; a NULL secret_name means no resourceNames.
matching_grant AS (
    SELECT g.* FROM snap CROSS JOIN secret_grant g
    WHERE g.snapshot_id = snap.id AND g.verb = :verb AND g.namespace IS NULL
      AND (g.secret_name IS NULL OR g.secret_name = :name)
    UNION ALL
    SELECT g.* FROM snap CROSS JOIN secret_grant g
    WHERE g.snapshot_id = snap.id AND g.verb = :verb AND g.namespace = :namespace
      AND (g.secret_name IS NULL OR g.secret_name = :name)
)
SELECT i.kind, i.namespace, i.name, 'rbac' AS via, g.principal AS via_principal,
       g.binding_kind, g.binding_namespace, g.binding_name, g.role_kind, g.role_name, g.rule_index,
       NULL AS pod_namespace, NULL AS pod_name, NULL AS pod_source,
       g.subject_kind, g.subject_namespace, g.subject_name, g.role_namespace, i.username, i.groups, g.subject_api_group
FROM matching_grant g   -- CROSS JOIN keeps this order: from the few grants to their identities
CROSS JOIN identity_principal p ON p.snapshot_id = g.snapshot_id AND p.principal = g.principal
CROSS JOIN identity i ON i.id = p.identity_id
UNION ALL
SELECT i.kind, i.namespace, i.name, 'superuser', p.principal,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, i.username, i.groups, NULL
FROM snap
CROSS JOIN identity_principal p ON p.snapshot_id = snap.id AND p.principal = 'group:system:masters'
CROSS JOIN identity i ON i.id = p.identity_id
UNION ALL
SELECT 'Node', '', n.node, 'node', 'user:' || i.username,
       NULL, NULL, NULL, NULL, NULL, NULL, n.pod_namespace, n.pod_name, n.source,
       NULL, NULL, NULL, NULL, i.username, i.groups, NULL
FROM node_secret_grant n JOIN snap ON n.snapshot_id = snap.id
JOIN identity i ON i.snapshot_id = snap.id AND i.kind = 'Node' AND i.namespace = '' AND i.name = n.node
WHERE n.namespace = :namespace AND n.secret_name = :name
  AND :verb IN ('get', 'list', 'watch')
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13
