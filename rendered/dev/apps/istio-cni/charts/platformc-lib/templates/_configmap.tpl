{{/*
The component's files, as a ConfigMap named <name>-files. File contents are
platform text: written with toYaml, so `{{ }}` inside them stays literal.
data comes before metadata: `helm template` trims the whitespace at the end
of every document, which would cut trailing newlines off the last file.
*/}}
{{- define "platformc.configmap" -}}
{{- with .Values.configMap }}
---
apiVersion: v1
kind: ConfigMap
data:
  {{- toYaml (.data | default dict) | nindent 2 }}
metadata:
  {{- include "platformc.metadata" (dict "values" $.Values "name" (printf "%s-files" $.Values.name)) | nindent 2 }}
{{- end }}
{{- end -}}
