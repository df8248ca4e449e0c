{{/*
The webserver Deployment, rendered twice when enableReadOnly is on: (dict "root" $ "readOnly" bool).
The read-only twin gets `-read-only` names, its own component label and `--read-only`.
*/}}
{{- define "bosun.webserver.component" -}}
{{- if .readOnly -}}webserver-read-only{{- else -}}webserver{{- end -}}
{{- end -}}

{{/* Comma-separated host names of the webserver's Service (and the ingress host): (dict "root" $ "readOnly" bool). */}}
{{- define "bosun.webserver.allowedHosts" -}}
{{- $root := .root -}}
{{- $service := include "bosun.componentName" (dict "root" $root "suffix" (include "bosun.webserver.component" .)) -}}
{{- $namespace := $root.Release.Namespace -}}
{{- $hosts := list $service (printf "%s.%s" $service $namespace) (printf "%s.%s.svc" $service $namespace) (printf "%s.%s.svc.cluster.local" $service $namespace) -}}
{{- if and $root.Values.ingress.enabled $root.Values.ingress.webserver.host -}}
{{- $hosts = append $hosts $root.Values.ingress.webserver.host -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{- define "bosun.webserver.deployment" -}}
{{- $root := .root -}}
{{- $values := $root.Values.webserver -}}
{{- $component := include "bosun.webserver.component" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "bosun.componentName" (dict "root" $root "suffix" $component) }}
  labels:
    {{- include "bosun.labels" (dict "root" $root "component" $component) | nindent 4 }}
    {{- with $values.deploymentLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  replicas: {{ $values.replicaCount }}
  selector:
    matchLabels:
      {{- include "bosun.selectorLabels" (dict "root" $root "component" $component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "bosun.selectorLabels" (dict "root" $root "component" $component) | nindent 8 }}
        {{- with $values.labels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/instance-config: {{ include (print $root.Template.BasePath "/configmap-instance.yaml") $root | sha256sum }}
        checksum/workspace: {{ include (print $root.Template.BasePath "/configmap-workspace.yaml") $root | sha256sum }}
        checksum/env: {{ include (print $root.Template.BasePath "/configmap-env.yaml") $root | sha256sum }}
        {{- with $values.annotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "bosun.serviceAccountName" $root }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $values.checkDbReadyInitContainer }}
      initContainers:
        {{- include "bosun.waitForPostgresql" (dict "root" $root) | nindent 8 }}
      {{- end }}
      containers:
        - name: webserver
          image: {{ include "bosun.image" (dict "root" $root "image" $values.image) | quote }}
          imagePullPolicy: {{ $values.image.pullPolicy }}
          args:
            - webserver
            - -w
            - {{ include "bosun.workspaceFile" $root }}
            - --host
            - 0.0.0.0
            - --port
            - {{ $values.containerPort | quote }}
            {{- if and (not $root.Values.auth.enabled) $root.Values.auth.allowAnonymous }}
            # auth.allowAnonymous: anyone reaching the Service may do anything (docs/auth.md).
            - --insecure-allow-anonymous
            {{- end }}
            {{- if .readOnly }}
            - --read-only
            {{- end }}
          ports:
            - name: http
              containerPort: {{ $values.containerPort }}
              protocol: TCP
          envFrom:
            {{- include "bosun.envFrom" (dict "envConfigMap" (include "bosun.componentName" (dict "root" $root "suffix" "webserver-env")) "component" $values) | nindent 12 }}
          env:
            {{- include "bosun.postgresqlPasswordEnv" $root | nindent 12 }}
            {{- include "bosun.webserver.authEnv" . | nindent 12 }}
            # The names this webserver answers to: its Service's, in every form, and the ingress host.
            # Requests with another Host header are refused (DNS rebinding).
            - name: BOSUN_WEBSERVER_ALLOWED_HOSTS
              value: {{ include "bosun.webserver.allowedHosts" . | quote }}
            {{- if kindIs "slice" $values.env }}
            {{- with $values.env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- end }}
          {{- $health := dict "httpGet" (dict "path" "/api/health" "port" "http") }}
          {{- if $values.readinessProbe.enabled }}
          readinessProbe:
            {{- include "bosun.probe" (dict "probe" $values.readinessProbe "handler" $health) | nindent 12 }}
          {{- end }}
          {{- if $values.livenessProbe.enabled }}
          livenessProbe:
            {{- include "bosun.probe" (dict "probe" $values.livenessProbe "handler" $health) | nindent 12 }}
          {{- end }}
          {{- if $values.startupProbe.enabled }}
          startupProbe:
            {{- include "bosun.probe" (dict "probe" $values.startupProbe "handler" $health) | nindent 12 }}
          {{- end }}
          {{- with $values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            {{- include "bosun.instanceVolumeMounts" $root | nindent 12 }}
            # A directory mount (no subPath), so an edited workspace reaches running pods.
            - name: workspace
              mountPath: {{ include "bosun.workspaceDir" $root }}
              readOnly: true
            {{- with $values.volumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        {{- include "bosun.instanceVolumes" (dict "instanceConfigMap" (include "bosun.instanceConfigMapName" $root)) | nindent 8 }}
        - name: workspace
          configMap:
            name: {{ include "bosun.workspaceConfigMapName" $root | quote }}
        {{- with $values.volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{- define "bosun.webserver.service" -}}
{{- $root := .root -}}
{{- $values := $root.Values.webserver -}}
{{- $component := include "bosun.webserver.component" . -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "bosun.componentName" (dict "root" $root "suffix" $component) }}
  labels:
    {{- include "bosun.labels" (dict "root" $root "component" $component) | nindent 4 }}
  {{- with $values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $values.service.type }}
  selector:
    {{- include "bosun.selectorLabels" (dict "root" $root "component" $component) | nindent 4 }}
  ports:
    - name: http
      port: {{ $values.service.port }}
      targetPort: http
      protocol: TCP
{{- end -}}
