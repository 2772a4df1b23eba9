{{/* The pod template every controller shares. */}}
{{- define "platformc.podTemplate" -}}
{{- $volumes := list }}
{{- range .Values.volumes }}
{{- $volumes = append $volumes . }}
{{- end }}
{{- if eq .Values.kind "Deployment" }}
{{- range .Values.persistentVolumeClaims }}
{{- $claim := dict "claimName" (printf "%s-%s" $.Values.name .name) }}
{{- $volumes = append $volumes (dict "name" .name "persistentVolumeClaim" $claim) }}
{{- end }}
{{- end -}}
metadata:
  labels:
    {{- include "platformc.podLabels" . | nindent 4 }}
  {{- with .Values.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if has .Values.kind (list "Job" "CronJob") }}
  restartPolicy: OnFailure
  {{- end }}
  {{- with .Values.serviceAccount }}
  serviceAccountName: {{ $.Values.name | quote }}
  automountServiceAccountToken: {{ .automountServiceAccountToken | default false | toJson }}
  {{- end }}
  {{- with .Values.podSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    {{- toYaml (list .Values.container) | nindent 4 }}
  {{- with $volumes }}
  volumes:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* Pod labels: the component's labels and extra pod labels; the selector labels win. */}}
{{- define "platformc.podLabels" -}}
{{- toYaml (merge (dict) .Values.selectorLabels (.Values.podLabels | default dict) (.Values.labels | default dict)) }}
{{- end -}}
