{{/*
A Velero Schedule (velero.io/v1) backing up the component's pods and volumes.
Velero only reads Schedules in its own namespace, so the Schedule lives in
backup.namespace, named <namespace>-<name> to stay unique there.
*/}}
{{- define "platformc.backup" -}}
{{- with .Values.backup }}
---
apiVersion: velero.io/v1
kind: Schedule
metadata:
  {{- $namespace := required (printf "platformc-lib: backup of %q needs namespace (the namespace Velero runs in)" (toString $.Values.name)) .namespace }}
  {{- include "platformc.metadata" (dict "values" $.Values "name" (printf "%s-%s" $.Values.namespace $.Values.name) "namespace" $namespace) | nindent 2 }}
spec:
  schedule: {{ required (printf "platformc-lib: backup of %q needs a schedule" (toString $.Values.name)) .schedule | quote }}
  template:
    includedNamespaces:
      {{- toYaml (.includedNamespaces | default (list $.Values.namespace)) | nindent 6 }}
    labelSelector:
      matchLabels:
        {{- toYaml $.Values.selectorLabels | nindent 8 }}
    {{- with .ttl }}
    ttl: {{ . | quote }}
    {{- end }}
{{- end }}
{{- end -}}
