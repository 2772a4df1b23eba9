{{/*
The component's own ServiceAccount, named after it, when `serviceAccount` is set. Its
token is mounted only where the component calls the Kubernetes API
(automountServiceAccountToken here and on the pod, which decides).
*/}}
{{- define "platformc.serviceAccount" -}}
{{- with .Values.serviceAccount }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "platformc.metadata" (dict "values" $.Values) | nindent 2 }}
automountServiceAccountToken: {{ .automountServiceAccountToken | default false | toJson }}
{{- end }}
{{- end -}}
