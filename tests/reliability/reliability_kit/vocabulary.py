"""The words of hostile input: names, environment names, values, free text and byte damage.

Kept apart from the strategies (reliability_kit.mutate) so a new trick is one line here.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

HOMOGLYPHS = (
    "k\u0430fka",  # Cyrillic а
    "tr\u0456no",  # Cyrillic і
    "\u0440ostgres",  # Cyrillic р
    "ｋａｆｋａ",  # fullwidth
    "kafka\u200b",  # zero-width space
    "\u202ekafka",  # right-to-left override
    "kafka\u00a0",  # no-break space
)
HOSTILE_NAMES = (
    "../../etc",
    "..",
    ".",
    "../rendered",
    "a/b",
    "/etc/passwd",
    "..\\..\\x",
    "Kafka",
    "KAFKA",
    "kafka\n",
    "kafka ",
    " kafka",
    "",
    " ",
    "-",
    "-a",
    "a-",
    "a_b",
    "a.b",
    "a" * 63,
    "a" * 64,
    "b" * 253,
    "c" * 300,
    "null",
    "true",
    "~",
    "0",
    "0777",
    "1e3",
    "*",
    "${ref:kafka/kafka.client}",
    "{{ .Values.x }}",
    "é",
    "日本",
    "🙂",
    ".git",
    ".staging-dev-1",
    ".old-dev",
    ".platformc.lock",
    "platformc-lib",
    "templates",
    "charts",
    "platform-namespaces",
    "platform-policies",
    "platform-secrets",
    "platform-dashboards",
    "root",
    "project",
    "kafka",
    "data-platform",
    *HOMOGLYPHS,
)
# Environment names become file names (overlays/<env>.yaml): no '/', no NUL, short enough to create.
HOSTILE_ENVS = (
    "..",
    ".",
    "...",
    ".hidden",
    "-rf",
    "Dev",
    "DEV",
    "dev ",
    "a b",
    "qa",
    "d\u0435v",  # Cyrillic е
    "ü",
    "日本",
    "x" * 64,
    "y" * 200,
    "*",
    "a*",
    "[ab]",
    "dev-1",
    "prod.old",
    ".old-dev",
    ".staging-dev-1",
    "\u202eved",
)

names = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.from_regex(r"[a-z0-9][-a-z0-9]{0,70}", fullmatch=True),
    st.text(max_size=70),
)
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**31, 2**63, 2**64 + 1, 10**100, 10**4000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(HOSTILE_NAMES),
    st.sampled_from(["", "1Gi", "100m", "-1", "1e309", "0x1F", "on", "no", "2027-13-45", "${ref:nope}"]),
)
# Text that is valid where free text is allowed (env values, chart values, files, reasons) and hard
# to write back out: YAML 1.1 look-alikes, template and reference syntax, control and odd Unicode.
free_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "on",
            "yes",
            "No",
            "null",
            "~",
            "0777",
            "1e3",
            "0x1F",
            ".inf",
            "1:30",
            "- a",
            "a: b",
            "[a]",
            "{{ .Values.x }}",
            '{{- include "x" . }}',
            "$(HOME)",
            "#comment",
            "&anchor",
            "*alias",
            "!tag",
            "'",
            '"',
            "\\",
            "\t",
            "\n",
            "multi\nline\n",
            "trailing  ",
            "\x1b[31m",
            "\u2028",
            "\ufeff",
            "\u202e",
            "🙂",
            "x" * 10_000,
        ]
    ),
)
FREE_TEXT_UNDER = {"values", "env", "files", "args", "command", "reason", "summary"}
nested_values = st.recursive(
    leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(names, children, max_size=4),
    ),
    max_leaves=12,
)


RAW_DAMAGE: dict[str, Callable[[bytes, int], bytes]] = {
    "truncate": lambda b, i: b[:i],
    "tab": lambda b, i: b[:i] + b"\t" + b[i:],
    "invalid-utf8": lambda b, i: b[:i] + b"\xff\xfe" + b[i:],
    "nul": lambda b, i: b[:i] + b"\x00" + b[i:],
    "bom": lambda b, i: b"\xef\xbb\xbf" + b,
    "double-bom": lambda b, i: b"\xef\xbb\xbf\xef\xbb\xbf" + b,
    "crlf": lambda b, i: b.replace(b"\n", b"\r\n"),
    "cr": lambda b, i: b.replace(b"\n", b"\r"),
    "dup-line": lambda b, i: _dup_line(b, i),
    "unclosed-flow": lambda b, i: b[:i] + b"[{" + b[i:],
    "alias": lambda b, i: b[:i] + b" *nowhere " + b[i:],
    "tag": lambda b, i: b[:i] + b" !!python/object/apply:os.system ['true'] " + b[i:],
    "second-document": lambda b, i: b + b"\n---\nspec: {}\n",
    "huge-int": lambda b, i: b[:i] + b" 9" + b"9" * 5000 + b" " + b[i:],
    "deep-flow": lambda b, i: b + b"\nx: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
}


def _dup_line(data: bytes, index: int) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    at = index % len(lines)
    return b"".join([*lines[: at + 1], lines[at], *lines[at + 1 :]])
