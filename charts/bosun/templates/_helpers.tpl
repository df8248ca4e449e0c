{{/*
Names. Every generated name goes through `trunc 63 | trimSuffix "-"` (the longest Kubernetes
label-shaped name); suffixed names truncate the prefix first so the suffix always survives.
*/}}
{{- define "bosun.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* `<release>-<chart>`, or just `<release>` when it already contains the chart name. */}}
{{- define "bosun.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* `<fullname>-<suffix>` within 63 characters: (dict "root" $ "suffix" "webserver"). */}}
{{- define "bosun.componentName" -}}
{{- $suffix := .suffix -}}
{{- $prefix := include "bosun.fullname" .root | trunc (int (sub 62 (len $suffix))) | trimSuffix "-" -}}
{{- printf "%s-%s" $prefix $suffix -}}
{{- end -}}

{{- define "bosun.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels of a component: (dict "root" $ "component" "webserver"). */}}
{{- define "bosun.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bosun.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of every object: (dict "root" $ "component" "webserver"). */}}
{{- define "bosun.labels" -}}
helm.sh/chart: {{ include "bosun.chart" .root }}
{{ include "bosun.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: bosun
{{- end -}}

{{/* `repository:tag`, the tag defaulting to the chart's appVersion: (dict "root" $ "image" .Values.webserver.image). */}}
{{- define "bosun.image" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion | toString -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}

{{- define "bosun.serviceAccountName" -}}
{{- if .Values.global.serviceAccountName -}}
{{- .Values.global.serviceAccountName -}}
{{- else -}}
{{- default (include "bosun.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the database password under the key `postgresql-password`. */}}
{{- define "bosun.postgresql.secretName" -}}
{{- if .Values.generatePostgresqlPasswordSecret -}}
{{- include "bosun.componentName" (dict "root" . "suffix" "postgresql-secret") -}}
{{- else -}}
{{- .Values.global.postgresqlSecretName -}}
{{- end -}}
{{- end -}}

{{- define "bosun.postgresql.host" -}}
{{- if .Values.postgresql.enabled -}}
{{- include "bosun.componentName" (dict "root" . "suffix" "postgresql") -}}
{{- else -}}
{{- .Values.postgresql.postgresqlHost -}}
{{- end -}}
{{- end -}}

{{- define "bosun.instanceConfigMapName" -}}
{{- include "bosun.componentName" (dict "root" . "suffix" "instance") -}}
{{- end -}}

{{- define "bosun.workspaceConfigMapName" -}}
{{- if .Values.webserver.workspace.externalConfigmap -}}
{{- .Values.webserver.workspace.externalConfigmap -}}
{{- else -}}
{{- include "bosun.componentName" (dict "root" . "suffix" "workspace") -}}
{{- end -}}
{{- end -}}

{{- define "bosun.runEnvConfigMapName" -}}
{{- include "bosun.componentName" (dict "root" . "suffix" "run-env") -}}
{{- end -}}

{{/* Where bosun.yaml and workspace.yaml sit inside the Bosun containers. */}}
{{- define "bosun.workspaceDir" -}}/opt/bosun/workspace{{- end -}}
{{- define "bosun.workspaceFile" -}}{{ include "bosun.workspaceDir" . }}/workspace.yaml{{- end -}}

{{/*
A probe without `enabled`, given the default handler when it names none:
(dict "probe" .Values.webserver.readinessProbe "handler" (dict "httpGet" ...)).
*/}}
{{- define "bosun.probe" -}}
{{- $probe := omit .probe "enabled" -}}
{{- if not (or (hasKey $probe "httpGet") (hasKey $probe "exec") (hasKey $probe "grpc") (hasKey $probe "tcpSocket")) -}}
{{- if not .handler -}}
{{- fail (printf "%s is enabled but gives no handler: add exec, httpGet, grpc or tcpSocket" .field) -}}
{{- end -}}
{{- $probe = merge $probe .handler -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end -}}

{{/* A map with its keys in snake_case and null values dropped (Helm values are camelCase, bosun.yaml snake_case). */}}
{{- define "bosun.snakeKeys" -}}
{{- $out := dict -}}
{{- range $key, $value := . -}}
{{- if not (kindIs "invalid" $value) -}}
{{- $_ := set $out (snakecase $key) $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* snakeKeys at every depth, for sections without user-chosen keys (computeLogs, retention). */}}
{{- define "bosun.snakeKeysDeep" -}}
{{- $out := dict -}}
{{- range $key, $value := . -}}
{{- if kindIs "map" $value -}}
{{- $_ := set $out (snakecase $key) (include "bosun.snakeKeysDeep" $value | fromYaml) -}}
{{- else if not (kindIs "invalid" $value) -}}
{{- $_ := set $out (snakecase $key) $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* Init container waiting until PostgreSQL accepts connections: (dict "root" $ "component" .Values.webserver). */}}
{{- define "bosun.waitForPostgresql" -}}
{{- $root := .root -}}
- name: wait-for-postgresql
  image: {{ include "bosun.image" (dict "root" $root "image" $root.Values.postgresql.image) | quote }}
  imagePullPolicy: {{ $root.Values.postgresql.image.pullPolicy }}
  command:
    - sh
    - -c
    - until pg_isready --quiet; do echo "waiting for PostgreSQL at $PGHOST:$PGPORT"; sleep 2; done
  env:
    - name: PGHOST
      value: {{ include "bosun.postgresql.host" $root | quote }}
    - name: PGPORT
      value: {{ $root.Values.postgresql.service.port | quote }}
    - name: PGUSER
      value: {{ $root.Values.postgresql.postgresqlUsername | quote }}
    - name: PGDATABASE
      value: {{ $root.Values.postgresql.postgresqlDatabase | quote }}
  securityContext:
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    runAsNonRoot: true
    runAsUser: 10001
    capabilities:
      drop: [ALL]
  resources:
    requests:
      cpu: 10m
      memory: 16Mi
    limits:
      memory: 64Mi
{{- end -}}

{{/* The database password, from its Secret, for every Bosun process that opens the storage. */}}
{{/* The Secret holding the bootstrap admin token: the existing one named, or the chart's. */}}
{{- define "bosun.bootstrapToken.secretName" -}}
{{- default (include "bosun.componentName" (dict "root" . "suffix" "bootstrap-token")) .Values.auth.bootstrapToken.existingSecret -}}
{{- end -}}

{{/*
The webserver's auth secrets, from Secrets: the bootstrap admin token (only the writable webserver
stores it; every replica does, idempotently) and the OIDC client secret. (dict "root" $ "readOnly" bool)
*/}}
{{- define "bosun.webserver.authEnv" -}}
{{- $auth := .root.Values.auth -}}
{{- if and $auth.enabled (not .readOnly) }}
- name: BOSUN_BOOTSTRAP_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "bosun.bootstrapToken.secretName" .root | quote }}
      key: {{ $auth.bootstrapToken.key | quote }}
{{- end }}
{{- if and $auth.enabled $auth.oidc.issuer }}
- name: BOSUN_OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $auth.oidc.clientSecret.existingSecret | quote }}
      key: {{ $auth.oidc.clientSecret.key | quote }}
{{- end }}
{{- end -}}

{{- define "bosun.postgresqlPasswordEnv" -}}
- name: BOSUN_PG_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "bosun.postgresql.secretName" . | quote }}
      key: postgresql-password
{{- end -}}

{{/* envFrom of a control-plane container: its env ConfigMap, then the user's ConfigMaps and Secrets. */}}
{{- define "bosun.envFrom" -}}
- configMapRef:
    name: {{ .envConfigMap | quote }}
{{- range .component.envConfigMaps }}
- configMapRef:
    name: {{ . | quote }}
{{- end }}
{{- range .component.envSecrets }}
- secretRef:
    name: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* Volumes shared by the webserver, daemon and migration pods. */}}
{{- define "bosun.instanceVolumes" -}}
- name: bosun-instance-config
  configMap:
    name: {{ .instanceConfigMap | quote }}
    items:
      - key: bosun.yaml
        path: bosun.yaml
- name: bosun-home
  emptyDir: {}
- name: tmp
  emptyDir: {}
{{- end -}}

{{/* Mounts matching bosun.instanceVolumes: bosun.yaml by subPath (the checksum annotation rolls the pods). */}}
{{- define "bosun.instanceVolumeMounts" -}}
- name: bosun-home
  mountPath: {{ .Values.global.bosunHome | quote }}
- name: bosun-instance-config
  mountPath: {{ printf "%s/bosun.yaml" .Values.global.bosunHome | quote }}
  subPath: bosun.yaml
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end -}}
