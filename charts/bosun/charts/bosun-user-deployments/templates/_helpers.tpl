{{/* Names: every generated name is cut to 63 characters with the suffix kept (see the bosun chart). */}}
{{- define "bosunUserDeployments.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bosunUserDeployments.fullname" -}}
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

{{/* (dict "root" $ "suffix" "sales") -> `<fullname>-sales`, within 63 characters. */}}
{{- define "bosunUserDeployments.componentName" -}}
{{- $suffix := .suffix -}}
{{- $prefix := include "bosunUserDeployments.fullname" .root | trunc (int (sub 62 (len $suffix))) | trimSuffix "-" -}}
{{- printf "%s-%s" $prefix $suffix | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bosunUserDeployments.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* (dict "root" $ "deployment" $deployment) */}}
{{- define "bosunUserDeployments.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bosunUserDeployments.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: code-server
bosun/code-location: {{ .deployment.name }}
{{- end -}}

{{- define "bosunUserDeployments.labels" -}}
helm.sh/chart: {{ include "bosunUserDeployments.chart" .root }}
{{ include "bosunUserDeployments.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: bosun
{{- end -}}

{{- define "bosunUserDeployments.image" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion | toString -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}

{{- define "bosunUserDeployments.serviceAccountName" -}}
{{- if .Values.global.serviceAccountName -}}
{{- .Values.global.serviceAccountName -}}
{{- else -}}
{{- default (include "bosunUserDeployments.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "bosunUserDeployments.envConfigMapName" -}}
{{- include "bosunUserDeployments.componentName" (dict "root" .root "suffix" (printf "%s-env" .deployment.name)) -}}
{{- end -}}

{{/* A probe without `enabled`, checking the gRPC health service on the code server's port unless it names a handler. */}}
{{- define "bosunUserDeployments.probe" -}}
{{- $probe := omit .probe "enabled" -}}
{{- if not (or (hasKey $probe "httpGet") (hasKey $probe "exec") (hasKey $probe "grpc") (hasKey $probe "tcpSocket")) -}}
{{- $_ := set $probe "grpc" (dict "port" (int .port)) -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end -}}

{{/*
The deployment's Kubernetes settings as its container context (`{"k8s": {...}}` in Bosun's
snake_case), given to the code server in BOSUN_CONTAINER_CONTEXT and from there to every run of
the location: image, pull policy and secrets, env (the map form through its ConfigMap), env
ConfigMaps and Secrets, volumes, labels, resources, security contexts and pod placement.
*/}}
{{- define "bosunUserDeployments.containerContext" -}}
{{- $root := .root -}}
{{- $d := .deployment -}}
{{- $k8s := dict "image" (include "bosunUserDeployments.image" (dict "root" $root "image" $d.image)) -}}
{{- with $d.image.pullPolicy }}{{ $_ := set $k8s "image_pull_policy" . }}{{ end -}}
{{- with $root.Values.imagePullSecrets }}{{ $_ := set $k8s "image_pull_secrets" . }}{{ end -}}
{{- $configMaps := list -}}
{{- if and (kindIs "map" $d.env) $d.env -}}
{{- $configMaps = append $configMaps (include "bosunUserDeployments.envConfigMapName" .) -}}
{{- end -}}
{{- $configMaps = concat $configMaps ($d.envConfigMaps | default list) -}}
{{- with $configMaps }}{{ $_ := set $k8s "env_config_maps" . }}{{ end -}}
{{- with $d.envSecrets }}{{ $_ := set $k8s "env_secrets" . }}{{ end -}}
{{- with $d.volumes }}{{ $_ := set $k8s "volumes" . }}{{ end -}}
{{- with $d.volumeMounts }}{{ $_ := set $k8s "volume_mounts" . }}{{ end -}}
{{- with $d.labels }}{{ $_ := set $k8s "labels" . }}{{ end -}}
{{- with $d.resources }}{{ $_ := set $k8s "resources" . }}{{ end -}}
{{- with (default $root.Values.securityContext $d.securityContext) }}{{ $_ := set $k8s "security_context" . }}{{ end -}}
{{- $container := dict -}}
{{- if and (kindIs "slice" $d.env) $d.env }}{{ $_ := set $container "env" $d.env }}{{ end -}}
{{- $pod := dict -}}
{{- with $d.nodeSelector }}{{ $_ := set $pod "node_selector" . }}{{ end -}}
{{- with $d.affinity }}{{ $_ := set $pod "affinity" . }}{{ end -}}
{{- with $d.tolerations }}{{ $_ := set $pod "tolerations" . }}{{ end -}}
{{- with (default $root.Values.podSecurityContext $d.podSecurityContext) }}{{ $_ := set $pod "security_context" . }}{{ end -}}
{{- $run := dict -}}
{{- with $container }}{{ $_ := set $run "container_config" . }}{{ end -}}
{{- with $pod }}{{ $_ := set $run "pod_spec_config" . }}{{ end -}}
{{- with $run }}{{ $_ := set $k8s "run_k8s_config" . }}{{ end -}}
{{- dict "k8s" $k8s | toJson -}}
{{- end -}}
