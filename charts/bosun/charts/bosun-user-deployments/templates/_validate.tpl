{{- define "bosunUserDeployments.validate" -}}
{{- $names := list -}}
{{- range .Values.deployments -}}
{{- if has .name $names -}}
{{- fail (printf "deployments: the name %q is given twice; each code server needs its own name (it is also its Service's name)" .name) -}}
{{- end -}}
{{- $names = append $names .name -}}
{{- end -}}
{{- end -}}
