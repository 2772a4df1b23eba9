"""Which values maps a chart's templates write out whole, followed through variables, `with` and helpers.

A template writes a map whole when it hands it to `toYaml` (`toJson`, …):
every key inside reaches the output, so the chart leaves the map open. The map
often travels before it is written: through a variable (`$app := .Values.server`
then `$app.podSecurityContext`), a `with` block (`{{ with .Values.x }}{{ toYaml . }}`),
or a helper (`include "vm.securityContext" (dict "securityContext" $app.securityContext)`
whose body ends in `omit $securityContext "enabled" | toYaml`). This module reads
the templates as Go templates, action by action, and follows each value from
`.Values` to where it is written: a helper is summarised once (which parts of its
argument it writes whole) and applied at every `include`.

Pure: template texts in, value paths out. Nothing here knows a particular chart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

Chain = tuple[str, ...]
# ("root", chain): a path below the data a template file runs with (`.Values.a` is ("Values", "a"));
# ("arg", chain): a path below the argument a helper was included with.
Binding = tuple[str, Chain]

_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)
_COMMENT = re.compile(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.DOTALL)
_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|`[^`]*`|:=|=|\||\(|\)|,'
    r"|\$\w*(?:\.\w+)*|(?:\.\w+)+|\.|[\w'.+-]+"
)
# Functions whose output holds every key and value of their argument (`keys` only counts or names them).
_WRITES_WHOLE = frozenset({"toYaml", "toJson", "toPrettyJson", "toRawJson", "mustToJson"})
# Functions whose result is (a copy of, or a merge with) their arguments: the maps flow on.
_PASSES_ON = frozenset(
    {
        "omit",
        "deepCopy",
        "mustDeepCopy",
        "default",
        "coalesce",
        "merge",
        "mergeOverwrite",
        "mustMerge",
        "mustMergeOverwrite",
        "ternary",
    }
)
_ROUNDS = 8  # helpers calling helpers: summaries settle within this many passes
_CHAIN_LIMIT = 16


@dataclass(frozen=True)
class Flow:
    """What a template expression may hold: values paths, and the fields of a `dict` it built."""

    bindings: frozenset[Binding] = frozenset()
    fields: Mapping[str, Flow] = field(default_factory=dict)

    def union(self, other: Flow) -> Flow:
        merged = dict(self.fields)
        for key, value in other.fields.items():
            merged[key] = merged[key].union(value) if key in merged else value
        return Flow(self.bindings | other.bindings, merged)

    def at(self, chain: Iterable[str]) -> Flow:
        flow = self
        for part in chain:
            inner = flow.fields.get(part, _EMPTY)
            extended = frozenset(
                (base, (*path, part)) for base, path in flow.bindings if len(path) < _CHAIN_LIMIT
            )
            flow = Flow(extended | inner.bindings, inner.fields)
        return flow


_EMPTY = Flow()
Operand = Flow | str | None  # a flow, a string literal, or any other literal


def whole_maps(texts: Iterable[str], helpers: Mapping[str, str]) -> frozenset[Chain]:
    """The `.Values` maps the templates write whole; `helpers` are every helper body the chart can include."""
    summaries = summarise(helpers)
    whole: set[Chain] = set()
    for text in texts:
        sinks = _Reader(summaries, Flow(frozenset({("root", ())}))).read(_outside_defines(_actions(text)))
        whole.update(
            path[1:] for base, path in sinks if base == "root" and path[:1] == ("Values",) and len(path) > 1
        )
    return frozenset(whole)


def helper_bodies(text: str) -> dict[str, str]:
    """Every `define` in a template file, by name: the text of its body."""
    bodies: dict[str, str] = {}
    stack: list[tuple[str | None, int]] = []
    text = _COMMENT.sub("", text)
    for match in _ACTION.finditer(text):
        words = match.group(1).split(None, 2)
        head = words[0] if words else ""
        if head in ("define", "block") and len(words) > 1:
            stack.append((words[1].strip('"`'), match.end()))
        elif head in ("if", "with", "range"):
            stack.append((None, 0))
        elif head == "end" and stack:
            name, start = stack.pop()
            if name is not None:
                bodies.setdefault(name, text[start : match.start()])
    return bodies


def summarise(helpers: Mapping[str, str]) -> dict[str, frozenset[Chain]]:
    """For each helper, the paths below its argument it writes whole (a helper may include another)."""
    parsed = {name: _actions(body) for name, body in helpers.items()}
    summaries: dict[str, frozenset[Chain]] = {name: frozenset() for name in helpers}
    for _ in range(_ROUNDS):
        changed = False
        for name, actions in parsed.items():
            sinks = _Reader(summaries, Flow(frozenset({("arg", ())}))).read(actions)
            found = frozenset(path for base, path in sinks if base == "arg") | summaries[name]
            if found != summaries[name]:
                summaries[name], changed = found, True
        if not changed:
            break
    return summaries


# ---------------------------------------------------------------------------- actions and tokens


def _actions(text: str) -> list[str]:
    return [m.group(1) for m in _ACTION.finditer(_COMMENT.sub("", text))]


def _outside_defines(actions: list[str]) -> Iterator[str]:
    depth = 0  # inside a define: its body runs only when included
    for action in actions:
        head = action.split(None, 1)[0] if action.strip() else ""
        if depth:
            if head in ("if", "with", "range", "define", "block"):
                depth += 1
            elif head == "end":
                depth -= 1
        elif head in ("define", "block"):
            depth = 1
        else:
            yield action


def _tokens(action: str) -> list[tuple[str, bool]]:
    """The tokens of an action, each with whether it touches the token before it (`(x).a`)."""
    out: list[tuple[str, bool]] = []
    end = -1
    for match in _TOKEN.finditer(action):
        out.append((match.group(0), match.start() == end))
        end = match.end()
    return out


# ---------------------------------------------------------------------------- reading


class _Reader:
    """Runs over a list of actions, following flows, and collects every binding written whole."""

    def __init__(self, summaries: Mapping[str, frozenset[Chain]], dot: Flow) -> None:
        self.summaries = summaries
        self.root = dot
        self.dots: list[Flow] = [dot]
        self.variables: dict[str, Flow] = {"$": dot}
        self.sinks: set[Binding] = set()

    def read(self, actions: Iterable[str]) -> set[Binding]:
        for action in actions:
            self._action(_tokens(action))
        return self.sinks

    def _action(self, tokens: list[tuple[str, bool]]) -> None:
        head = tokens[0][0] if tokens else ""
        if head == "end":
            if len(self.dots) > 1:
                self.dots.pop()
        elif head == "else":
            outer = self.dots[-2] if len(self.dots) > 1 else self.root
            self.dots[-1] = outer
            if len(tokens) > 1:
                self._block(tokens[1][0], tokens[2:], outer, replace=True)
        elif head in ("if", "with", "range"):
            self._block(head, tokens[1:], self.dots[-1], replace=False)
        elif head == "template":
            self._pipeline(tokens, 0)
        else:
            self._statement(tokens)

    def _block(self, head: str, tokens: list[tuple[str, bool]], outer: Flow, *, replace: bool) -> None:
        names, body = _declared(tokens)
        value = self._value(self._pipeline(body, 0)[0])
        dot = outer
        if head == "with":
            dot = value
        elif head == "range":
            dot = _EMPTY  # an element: its path below the map is not known
            value = _EMPTY
        for name in names:
            self.variables[name] = value if name == names[-1] else _EMPTY
        if replace:
            self.dots[-1] = dot
        else:
            self.dots.append(dot)

    def _statement(self, tokens: list[tuple[str, bool]]) -> None:
        names, body = _declared(tokens)
        value = self._value(self._pipeline(body, 0)[0])
        for name in names:
            self.variables[name] = value

    def _pipeline(self, tokens: list[tuple[str, bool]], start: int) -> tuple[Operand, int]:
        """The pipeline from `start` to its closing parenthesis (or the end): its value, where it stopped."""
        result: Operand = None
        piped = False
        index = start
        while index < len(tokens):
            command: list[Operand] = []
            head = ""
            while index < len(tokens) and tokens[index][0] not in ("|", ")"):
                text = tokens[index][0]
                if text == "(":
                    inner, index = self._pipeline(tokens, index + 1)
                    if (
                        index + 1 < len(tokens)
                        and tokens[index + 1][1]
                        and tokens[index + 1][0].startswith(".")
                    ):
                        index += 1
                        inner = self._value(inner).at(tokens[index][0].strip(".").split("."))
                    command.append(inner)
                else:
                    if not command and re.fullmatch(r"[A-Za-z_]\w*", text):
                        head = text
                    else:
                        command.append(self._operand(text))
                index += 1
            if piped:
                command.append(result)
            result = self._apply(head, command)
            piped = True
            if index >= len(tokens) or tokens[index][0] == ")":
                break
            index += 1  # past the `|`
        return result, index

    def _operand(self, text: str) -> Operand:
        if text[:1] in ('"', "`"):
            return text[1:-1]
        if text == ".":
            return self.dots[-1]
        if text.startswith("."):
            return self.dots[-1].at(text[1:].split("."))
        if text.startswith("$"):
            name, _, rest = text.partition(".")
            flow = self.variables.get(name, _EMPTY)
            return flow.at(rest.split(".")) if rest else flow
        return None

    def _apply(self, head: str, args: list[Operand]) -> Operand:
        if not head:
            return args[0] if len(args) == 1 else None
        if head in _WRITES_WHOLE:
            for arg in args:
                self._write(self._value(arg))
            return None
        if head in _PASSES_ON:
            merged = _EMPTY
            for arg in args:
                merged = merged.union(self._value(arg))
            return merged
        if head == "dict":
            fields = {
                str(key): self._value(value)
                for key, value in zip(args[::2], args[1::2], strict=False)
                if isinstance(key, str)
            }
            return Flow(frozenset(), fields)
        if head in ("index", "get") and args:
            keys = [a for a in args[1:] if isinstance(a, str)]
            return self._value(args[0]).at(keys) if len(keys) == len(args) - 1 else _EMPTY
        if head in ("include", "template") and args and isinstance(args[0], str):
            argument = self._value(args[1]) if len(args) > 1 else _EMPTY
            for chain in self.summaries.get(args[0], frozenset()):
                self._write(argument.at(chain))
        return None

    def _write(self, flow: Flow) -> None:
        self.sinks.update(flow.bindings)
        for inner in flow.fields.values():  # a dict written out: each of its fields whole
            self._write(inner)

    @staticmethod
    def _value(operand: Operand) -> Flow:
        return operand if isinstance(operand, Flow) else _EMPTY


def _declared(tokens: list[tuple[str, bool]]) -> tuple[list[str], list[tuple[str, bool]]]:
    """`$a, $b := pipeline`: the variable names and the pipeline's tokens."""
    for index, (text, _) in enumerate(tokens):
        if text in (":=", "="):
            names = [t for t, _ in tokens[:index] if t.startswith("$")]
            if names and all(t.startswith("$") or t == "," for t, _ in tokens[:index]):
                return names, tokens[index + 1 :]
            break
    return [], tokens
