"""`make audit`: the rendered platform checked by external linters (checkov), every failure explained.

manifests.py renders what the cluster receives into plain YAML; checkov.py runs
checkov over it and reads its report; accepted.py holds the failures the
platform accepts on purpose (audit/accepted.yaml) and compares; docs.py writes
docs/audit.md from that file; run.py strings them together for `python -m generator.audit`.
"""
