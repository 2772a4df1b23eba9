"""What the reliability suites and `scripts/reliability.py` share: campaigns that try to break platformc.

Each campaign returns counts and problems instead of asserting, so the tests
assert on them and the script publishes them (docs/reliability.md).
"""
