{{/*
bosun.yaml, the instance config every Bosun process reads from $BOSUN_HOME. Keys are Bosun's
snake_case; sections come from the camelCase values one to one (keys converted, nulls dropped,
zeros kept), so a field added to Bosun's config schema needs no template change. The database
password is never here: processes read it from BOSUN_PG_PASSWORD, set from the Secret.
*/}}
{{- define "bosun.instanceYaml" -}}
{{- $pg := .Values.postgresql -}}
storage:
  postgres:
    host: {{ include "bosun.postgresql.host" . | quote }}
    port: {{ $pg.service.port | int }}
    username: {{ $pg.postgresqlUsername | quote }}
    database: {{ $pg.postgresqlDatabase | quote }}
    password_env: BOSUN_PG_PASSWORD
    {{- with $pg.postgresqlParams }}
    params:
      {{- toYaml . | nindent 6 }}
    {{- end }}
run_coordinator:
  {{- include "bosun.snakeKeys" .Values.daemon.runCoordinator | nindent 2 }}
run_launcher:
  {{- if eq .Values.runLauncher.type "K8sRunLauncher" }}
  k8s:
    {{- include "bosun.k8sRunLauncherConfig" . | nindent 4 }}
  {{- else }}
  default: {{ include "bosun.snakeKeys" .Values.runLauncher.config.defaultRunLauncher | nindent 4 }}
  {{- end }}
run_monitoring:
  {{- include "bosun.snakeKeys" .Values.daemon.runMonitoring | nindent 2 }}
scheduler:
  {{- include "bosun.snakeKeys" .Values.daemon.scheduler | nindent 2 }}
sensors:
  {{- include "bosun.snakeKeys" .Values.daemon.sensors | nindent 2 }}
compute_logs:
  {{- include "bosun.snakeKeysDeep" .Values.computeLogs | nindent 2 }}
retention:
  {{- include "bosun.snakeKeysDeep" .Values.retention | nindent 2 }}
{{- with .Values.auth }}
auth:
  enabled: {{ .enabled }}
  {{- if and .enabled .oidc.issuer }}
  oidc:
    issuer: {{ .oidc.issuer | quote }}
    client_id: {{ .oidc.clientId | quote }}
    client_secret_env: BOSUN_OIDC_CLIENT_SECRET
    scopes: {{ toJson .oidc.scopes }}
    username_claim: {{ .oidc.usernameClaim | quote }}
  {{- end }}
  {{- with .roleMapping }}
  role_mapping:
    {{- range . }}
    - value: {{ .value | quote }}
      role: {{ .role }}
      {{- with .claim }}
      claim: {{ . | quote }}
      {{- end }}
      {{- with .location }}
      location: {{ . | quote }}
      {{- end }}
    {{- end }}
  {{- end }}
  default_role: {{ .defaultRole }}
  session:
    max_age_hours: {{ .session.maxAgeHours }}
    idle_hours: {{ .session.idleHours }}
{{- end }}
{{- end -}}

{{/*
The K8sRunLauncher's config: runLauncher.config.k8sRunLauncher in snake_case, plus what the chart
knows: the instance ConfigMap and password Secret run pods mount, the ServiceAccount, the release's
namespace, BOSUN_HOME, the run env ConfigMap (first, so the user's ConfigMaps win), pull secrets
and the Job TTL.
*/}}
{{- define "bosun.k8sRunLauncherConfig" -}}
{{- $values := .Values.runLauncher.config.k8sRunLauncher -}}
{{- $config := dict -}}
{{- range $key, $value := $values -}}
{{- if not (kindIs "invalid" $value) -}}
{{- if eq $key "runK8sConfig" -}}
{{- $sections := dict -}}
{{- range $section, $body := $value -}}
{{- if not (kindIs "invalid" $body) -}}
{{- $_ := set $sections (snakecase $section) $body -}}
{{- end -}}
{{- end -}}
{{- if $sections -}}
{{- $_ := set $config "run_k8s_config" $sections -}}
{{- end -}}
{{- else if and (kindIs "slice" $value) (eq (len $value) 0) -}}
{{- else if and (kindIs "map" $value) (eq (len $value) 0) -}}
{{- else -}}
{{- $_ := set $config (snakecase $key) $value -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $_ := set $config "instance_config_map" (include "bosun.instanceConfigMapName" .) -}}
{{- $_ := set $config "postgres_password_secret" (include "bosun.postgresql.secretName" .) -}}
{{- $_ := set $config "bosun_home" .Values.global.bosunHome -}}
{{- if not (hasKey $config "job_namespace") -}}
{{- $_ := set $config "job_namespace" .Release.Namespace -}}
{{- end -}}
{{- if not (hasKey $config "service_account_name") -}}
{{- $_ := set $config "service_account_name" (include "bosun.serviceAccountName" .) -}}
{{- end -}}
{{- $_ := set $config "env_config_maps" (prepend ($config.env_config_maps | default list) (include "bosun.runEnvConfigMapName" .)) -}}
{{- /* Writable BOSUN_HOME and /tmp, so run pods work with a read-only root filesystem. */ -}}
{{- $volumes := list (dict "name" "bosun-home" "emptyDir" (dict)) (dict "name" "bosun-tmp" "emptyDir" (dict)) -}}
{{- $mounts := list (dict "name" "bosun-home" "mountPath" .Values.global.bosunHome) (dict "name" "bosun-tmp" "mountPath" "/tmp") -}}
{{- $_ := set $config "volumes" (concat $volumes ($config.volumes | default list)) -}}
{{- $_ := set $config "volume_mounts" (concat $mounts ($config.volume_mounts | default list)) -}}
{{- if and .Values.imagePullSecrets (not (hasKey $config "image_pull_secrets")) -}}
{{- $_ := set $config "image_pull_secrets" .Values.imagePullSecrets -}}
{{- end -}}
{{- if not (hasKey $config "job_ttl_seconds_after_finished") -}}
{{- $_ := set $config "job_ttl_seconds_after_finished" (.Values.jobTtlSecondsAfterFinished | int) -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}
