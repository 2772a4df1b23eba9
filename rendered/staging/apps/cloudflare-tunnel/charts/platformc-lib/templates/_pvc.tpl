{{/* Standalone PersistentVolumeClaims <name>-<claim> for a Deployment's persistent volumes. */}}
{{- define "platformc.pvcs" -}}
{{- if eq .Values.kind "Deployment" }}
{{- range .Values.persistentVolumeClaims }}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  {{- include "platformc.metadata" (dict "values" $.Values "name" (printf "%s-%s" $.Values.name .name)) | nindent 2 }}
    {{- /* data safety: Argo CD neither prunes nor deletes a claim (docs/argocd.md) */}}
    argocd.argoproj.io/sync-options: Prune=false,Delete=false
spec:
  {{- include "platformc.claimSpec" . | nindent 2 }}
{{- end }}
{{- end }}
{{- end -}}

{{/* A PersistentVolumeClaim spec from {name, size, storageClass?}. */}}
{{- define "platformc.claimSpec" -}}
accessModes:
  - ReadWriteOnce
{{- with .storageClass }}
storageClassName: {{ . | quote }}
{{- end }}
resources:
  requests:
    storage: {{ required "platformc-lib: every volume claim needs a size" .size | quote }}
{{- end -}}
