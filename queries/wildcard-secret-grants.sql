-- wildcard-secret-grants: grants that reach secrets through a wildcard ("*" in verbs, resources or apiGroups).
-- One row per binding subject and rule. The engine decided that the rule reads secrets
-- (secret_grant); the rule's text shows the wildcard. Rules of aggregated ClusterRoles are
-- numbered after aggregation and are not stored one by one, so those roles are not listed.
-- example: keyreach query wildcard-secret-grants
-- param snapshot: snapshot name (default "default")
SELECT DISTINCT g.binding_kind, g.binding_namespace, g.binding_name, g.role_kind, g.role_name, g.rule_index,
       g.subject_kind, g.subject_namespace, g.subject_name, coalesce(g.namespace, '*') AS namespace,
       r.verbs, r.api_groups, r.resources
FROM secret_grant g
JOIN snapshot snap ON snap.id = g.snapshot_id
JOIN role ro ON ro.snapshot_id = g.snapshot_id AND ro.kind = g.role_kind
            AND ro.namespace = g.role_namespace AND ro.name = g.role_name AND ro.aggregation_rule IS NULL
JOIN rule r ON r.role_id = ro.id AND r.idx = g.rule_index
WHERE snap.name = :snapshot
  AND (EXISTS (SELECT 1 FROM json_each(r.verbs) WHERE value = '*')
       OR EXISTS (SELECT 1 FROM json_each(r.resources) WHERE value = '*')
       OR EXISTS (SELECT 1 FROM json_each(r.api_groups) WHERE value = '*'))
ORDER BY g.binding_kind, g.binding_namespace, g.binding_name, g.rule_index,
         g.subject_kind, g.subject_namespace, g.subject_name
