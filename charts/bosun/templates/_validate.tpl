{{/*
Contradictory values stop rendering with one message naming the keys involved. Included by the
instance ConfigMap, which every configuration renders.
*/}}
{{- define "bosun.validate" -}}
{{- $pg := .Values.postgresql -}}
{{- if and (not $pg.enabled) (not $pg.postgresqlHost) -}}
{{- fail "postgresql.enabled is false (an external PostgreSQL) but postgresql.postgresqlHost is empty: set postgresql.postgresqlHost to the server's host name, or set postgresql.enabled: true to deploy one in the release" -}}
{{- end -}}
{{- if and $pg.enabled $pg.postgresqlHost -}}
{{- fail (printf "postgresql.postgresqlHost (%s) is for an external PostgreSQL, but postgresql.enabled is true (one deployed in the release): set postgresql.enabled: false to use the external server, or remove postgresqlHost" $pg.postgresqlHost) -}}
{{- end -}}
{{- if and .Values.generatePostgresqlPasswordSecret .Values.global.postgresqlSecretName -}}
{{- fail (printf "global.postgresqlSecretName (%s) names an existing Secret, but generatePostgresqlPasswordSecret is true (the chart creates its own): set generatePostgresqlPasswordSecret: false to use the existing Secret, or remove global.postgresqlSecretName" .Values.global.postgresqlSecretName) -}}
{{- end -}}
{{- if and (not .Values.generatePostgresqlPasswordSecret) (not .Values.global.postgresqlSecretName) -}}
{{- fail "generatePostgresqlPasswordSecret is false but global.postgresqlSecretName is empty: name the existing Secret holding the password under the key postgresql-password, or set generatePostgresqlPasswordSecret: true" -}}
{{- end -}}
{{- if and (not .Values.generatePostgresqlPasswordSecret) $pg.postgresqlPassword -}}
{{- fail "postgresql.postgresqlPassword is set but generatePostgresqlPasswordSecret is false, so it would be ignored: put the password in the Secret named by global.postgresqlSecretName and remove postgresql.postgresqlPassword" -}}
{{- end -}}
{{- $ws := .Values.webserver.workspace -}}
{{- if and $ws.externalConfigmap $ws.servers -}}
{{- fail "webserver.workspace.servers and webserver.workspace.externalConfigmap both describe the workspace: give one of them" -}}
{{- end -}}
{{- if and $ws.enabled (not $ws.servers) (not $ws.externalConfigmap) -}}
{{- fail "webserver.workspace.enabled is true but lists no servers: add webserver.workspace.servers (host, port, name of each code server) or name an existing ConfigMap in webserver.workspace.externalConfigmap" -}}
{{- end -}}
{{- if and (not $ws.enabled) (or $ws.servers $ws.externalConfigmap) -}}
{{- fail "webserver.workspace.servers or externalConfigmap is set but webserver.workspace.enabled is false: set webserver.workspace.enabled: true" -}}
{{- end -}}
{{- $subchart := index .Values "bosun-user-deployments" -}}
{{- if and $ws.externalConfigmap $subchart.enableSubchart $subchart.deployments -}}
{{- fail "webserver.workspace.externalConfigmap replaces the workspace, so the code servers of bosun-user-deployments.deployments would not be served: set bosun-user-deployments.enableSubchart: false, or list external servers in webserver.workspace.servers instead" -}}
{{- end -}}
{{- $names := list -}}
{{- if $subchart.enableSubchart -}}
{{- range $subchart.deployments -}}
{{- $names = append $names .name -}}
{{- end -}}
{{- end -}}
{{- range $ws.servers -}}
{{- $names = append $names (default .host .name) -}}
{{- end -}}
{{- if ne (len $names) (len (uniq $names)) -}}
{{- fail (printf "code location names must be unique, got %s (from bosun-user-deployments.deployments[].name and webserver.workspace.servers[].name)" (join ", " $names)) -}}
{{- end -}}
{{- $k8s := .Values.runLauncher.config.k8sRunLauncher -}}
{{- if and (eq .Values.runLauncher.type "K8sRunLauncher") $k8s.kubeconfigFile (eq (toString $k8s.loadInclusterConfig) "true") -}}
{{- fail "runLauncher.config.k8sRunLauncher: loadInclusterConfig is true and kubeconfigFile is set; use one: set loadInclusterConfig: false to use the kubeconfig file" -}}
{{- end -}}
{{- if and .Values.webserver.enableReadOnly .Values.ingress.enabled (eq .Values.ingress.webserver.host .Values.ingress.readOnlyWebserver.host) (eq .Values.ingress.webserver.path .Values.ingress.readOnlyWebserver.path) -}}
{{- fail "ingress.webserver and ingress.readOnlyWebserver route the same host and path: give the read-only webserver its own host or path" -}}
{{- end -}}
{{- $auth := .Values.auth -}}
{{- if and (not $auth.enabled) (not $auth.allowAnonymous) -}}
{{- fail "auth.enabled is false, so the webserver would serve its API to anyone who reaches the Service, and refuses to: set auth.enabled: true (the default), or, only when another layer guards every path to it, auth.allowAnonymous: true" -}}
{{- end -}}
{{- if and $auth.enabled $auth.allowAnonymous -}}
{{- fail "auth.allowAnonymous is true but auth.enabled is true, so it would be ignored: remove auth.allowAnonymous, or set auth.enabled: false to serve without auth (insecure)" -}}
{{- end -}}
{{- if and $auth.enabled $auth.oidc.issuer (or (not $auth.oidc.clientId) (not $auth.oidc.clientSecret.existingSecret)) -}}
{{- fail "auth.oidc.issuer is set, so sign-in needs auth.oidc.clientId and auth.oidc.clientSecret.existingSecret (the Secret holding the client secret under auth.oidc.clientSecret.key)" -}}
{{- end -}}
{{- if and .Values.generatePostgresqlPasswordSecret (eq (include "bosun.bootstrapToken.secretName" .) (include "bosun.postgresql.secretName" .)) -}}
{{- fail "auth.bootstrapToken.existingSecret names the chart's own PostgreSQL password Secret: give the Secret holding the bootstrap token" -}}
{{- end -}}
{{- if and (not .Values.serviceAccount.create) (not .Values.serviceAccount.name) (not .Values.global.serviceAccountName) -}}
{{- fail "serviceAccount.create is false but no ServiceAccount is named: set serviceAccount.name (or global.serviceAccountName) to an existing ServiceAccount" -}}
{{- end -}}
{{- end -}}
