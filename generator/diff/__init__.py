"""`platformc diff`: which two trees to compare, the objects in each, and what changed between them.

Beside the pipeline, not in it: it takes the stages' results (rendered trees)
and shapes them for a reviewer.
"""
