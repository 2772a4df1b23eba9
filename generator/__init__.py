"""platformc: compiles one platform.yaml into the GitOps tree ArgoCD syncs."""

from __future__ import annotations

__version__ = "0.1.0"
