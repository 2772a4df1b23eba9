"""`verify`'s cluster stage: an environment's objects checked together (CRDs, apply limits,
Services, Secrets, load balancers, Pod Security Admission, and the call site for Kyverno admission)."""

from __future__ import annotations

from generator.verify.cluster.places import ClusterFacts, cluster_facts
from generator.verify.cluster.stage import ClusterVerdict, verify_cluster

__all__ = ["ClusterFacts", "ClusterVerdict", "cluster_facts", "verify_cluster"]
