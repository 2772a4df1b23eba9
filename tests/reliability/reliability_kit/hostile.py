"""Hand-written hostile inputs: each one is a way a platform file has hurt a tool before.

Every case writes its files into a repository holding the reference inputs.
`refused` cases must end in findings (exit 1 with a file:line:col, or exit 2
with a clear message) and leave rendered/ as it was; `accepted` cases are
unusual but valid spellings of the reference (a byte-order mark, CRLF) and must
render exactly what the reference renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reliability_kit.repo import REPO

REFERENCE = (REPO / "platform.yaml").read_text(encoding="utf-8")
CANARY = "platformc-reliability-canary"


@dataclass(frozen=True)
class HostileCase:
    name: str
    build: Callable[[Path], None]  # writes the hostile files into a repository root
    file: str  # the file a finding must point at
    envs: tuple[str, ...] = ("prod",)  # --env for the runs; () means every environment
    validate_gap: str = ""  # why validate does not report it yet (an xfail), if it does not
    accepted: bool = False

    def __str__(self) -> str:
        return self.name


def _platform(text: str | bytes) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        (root / "platform.yaml").write_bytes(data)

    return build


def _replace(old: str, new: str, count: int = 1) -> str:
    if REFERENCE.count(old) < count:
        raise ValueError(f"the reference platform.yaml no longer contains {old!r}")
    return REFERENCE.replace(old, new, count)


def _append(text: str) -> str:
    return REFERENCE.rstrip("\n") + "\n" + text


def _overlay(env: str, text: str | None = None) -> Callable[[Path], None]:
    """overlays/<env>.yaml holding `text`, or a copy of prod's overlay."""

    def build(root: Path) -> None:
        overlays = root / "overlays"
        data = (overlays / "prod.yaml").read_bytes() if text is None else text.encode("utf-8")
        (overlays / f"{env}.yaml").write_bytes(data)

    return build


def _respelled(env: str, suffix: str) -> HostileCase:
    """overlays/<env>.yaml renamed to overlays/<env><suffix>, a spelling platformc does not read."""

    def build(root: Path) -> None:
        (root / "overlays" / f"{env}.yaml").rename(root / "overlays" / f"{env}{suffix}")

    # Run for another environment: every environment's run names the file that is not read.
    name, file = f"overlay spelled overlays/{env}{suffix}", f"overlays/{env}{suffix}"
    return HostileCase(name, build, file, envs=("dev",))


def _env_named(env: str) -> HostileCase:
    return HostileCase(f"environment overlays/{env}.yaml", _overlay(env), f"overlays/{env}.yaml", envs=(env,))


def _big_file(root: Path) -> None:
    with (root / "platform.yaml").open("wb") as handle:
        handle.write(REFERENCE.encode("utf-8"))
        chunk = b"# " + b"x" * (1024 * 1024 - 3) + b"\n"
        for _ in range(50):
            handle.write(chunk)


def billion_laughs() -> str:
    lines = ['x-lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"x-lol{level}: &l{level} [{refs}]")
    return _append("\n".join(lines) + "\n")


def _block_mappings(depth: int) -> str:
    return _append(
        "x-deep:\n" + "".join(" " * level + "k:\n" for level in range(1, depth)) + " " * depth + "v\n"
    )


def _component(name: str) -> str:
    return _replace("        zookeeper:\n", f"        {name}:\n")


CASES: tuple[HostileCase, ...] = (
    HostileCase("alias bomb (a billion laughs)", _platform(billion_laughs()), "platform.yaml"),
    HostileCase("50 MB file", _big_file, "platform.yaml"),
    HostileCase(
        "flow nesting 10,000 deep",
        _platform(_append("x-deep: " + "[" * 10_000 + "]" * 10_000 + "\n")),
        "platform.yaml",
    ),
    HostileCase(
        "block sequence nesting 10,000 deep",
        _platform(_append("x-deep:\n  " + "- " * 10_000 + "x\n")),
        "platform.yaml",
    ),
    HostileCase("block mapping nesting 2,000 deep", _platform(_block_mappings(2_000)), "platform.yaml"),
    HostileCase(
        "block mapping nesting 10,000 deep (50 MB of indentation)",
        _platform(_block_mappings(10_000)),
        "platform.yaml",
    ),
    HostileCase(
        "non-UTF-8 bytes",
        _platform(
            _replace("domain: 254carbon.com", "domain: 254carbon\udce9.com").encode(
                "utf-8", "surrogateescape"
            )
        ),
        "platform.yaml",
    ),
    HostileCase("UTF-16 with its byte-order mark", _platform(REFERENCE.encode("utf-16")), "platform.yaml"),
    HostileCase(
        "NUL byte", _platform(_replace("domain: 254carbon.com", "domain: 254carbon\x00.com")), "platform.yaml"
    ),
    HostileCase(
        "tab indentation",
        _platform(_replace("  domain: 254carbon.com", "\tdomain: 254carbon.com")),
        "platform.yaml",
    ),
    HostileCase(
        "!!python/object/apply tag",
        _platform(_append(f"x-run: !!python/object/apply:os.system ['touch /tmp/{CANARY}']\n")),
        "platform.yaml",
    ),
    HostileCase(
        "!!python/name tag",
        _platform(_replace("domain: 254carbon.com", "domain: !!python/name:os.system")),
        "platform.yaml",
    ),
    HostileCase(
        "!!binary, !!set and !!omap tags",
        _platform(_append("x-bin: !!binary aGVsbG8=\nx-set: !!set {a: null}\nx-omap: !!omap [a: 1]\n")),
        "platform.yaml",
    ),
    HostileCase(
        "custom tag",
        _platform(_replace("domain: 254carbon.com", "domain: !Ref 254carbon.com")),
        "platform.yaml",
    ),
    HostileCase(
        "duplicate key",
        _platform(_replace("  domain: 254carbon.com\n", "  domain: 254carbon.com\n  domain: x.com\n")),
        "platform.yaml",
    ),
    HostileCase(
        "integer of 5,000 digits",
        _platform(_replace("replicas: 3\n", f"replicas: {'9' * 5000}\n")),
        "platform.yaml",
    ),
    HostileCase(
        "lone surrogate escape",
        _platform(_replace("domain: 254carbon.com", 'domain: "254carbon\\ud800.com"')),
        "platform.yaml",
    ),
    HostileCase("a list holding a list as a key", _platform(_append("? [a, [b]]\n: x\n")), "platform.yaml"),
    HostileCase("empty file", _platform(""), "platform.yaml"),
    HostileCase("document is a list", _platform("- spec\n"), "platform.yaml"),
    HostileCase("document is a scalar", _platform("platform\n"), "platform.yaml"),
    HostileCase("overlay is a list", _overlay("prod", "- spec\n"), "overlays/prod.yaml"),
    HostileCase("overlay is a scalar", _overlay("prod", "prod\n"), "overlays/prod.yaml"),
    HostileCase("two YAML documents", _platform(_append("---\nspec: {}\n")), "platform.yaml"),
    HostileCase("component named ../../etc", _platform(_component("../../etc")), "platform.yaml"),
    HostileCase("component named ..", _platform(_component("'..'")), "platform.yaml"),
    HostileCase("component named a/b", _platform(_component("a/b")), "platform.yaml"),
    HostileCase("component named in uppercase", _platform(_component("Zookeeper")), "platform.yaml"),
    HostileCase(
        "component named with a Cyrillic homoglyph",
        _platform(_component("z\u043e\u043ekeeper")),
        "platform.yaml",
    ),
    HostileCase("component named with 64 characters", _platform(_component("z" * 64)), "platform.yaml"),
    HostileCase(
        "component named with a trailing newline", _platform(_component('"zookeeper\\n"')), "platform.yaml"
    ),
    HostileCase(
        "application named ../../etc",
        _platform(
            _replace("    kafka:\n      namespace: kafka\n", "    ../../etc:\n      namespace: kafka\n")
        ),
        "platform.yaml",
    ),
    HostileCase(
        "namespace ../../etc",
        _platform(
            _replace("    kafka:\n      namespace: kafka\n", "    kafka:\n      namespace: ../../etc\n")
        ),
        "platform.yaml",
    ),
    HostileCase(
        "secret item in namespace ../../../etc",
        _platform(
            _replace("redis-auth: {namespace: data-platform,", "redis-auth: {namespace: ../../../etc,")
        ),
        "platform.yaml",
    ),
    HostileCase(
        "secret item named ../../x",
        _platform(_replace("      redis-auth: {namespace", "      ../../x: {namespace")),
        "platform.yaml",
    ),
    _env_named(".."),
    _env_named("."),
    _env_named(".hidden"),
    _env_named(""),
    _env_named("Prod"),
    _env_named("prod copy"),
    _env_named("prod_eu"),
    _env_named("e" * 64),
    _respelled("prod", ".yml"),
    _respelled("staging", ".YAML"),
)

ACCEPTED: tuple[HostileCase, ...] = (
    HostileCase(
        "UTF-8 byte-order mark", _platform(b"\xef\xbb\xbf" + REFERENCE.encode("utf-8")), "", accepted=True
    ),
    HostileCase("CRLF line endings", _platform(REFERENCE.replace("\n", "\r\n")), "", accepted=True),
)
