"""YAML text -> node tree -> plain data, safely and without implicit-type surprises.

Plain scalars stay text (only an empty value, `~` or `null` is null): the pydantic models
decide what a value is, so `no` in a text field stays "no", `0123` stays "0123" and a date
is a date only where the schema asks for one. Only the standard tags are accepted, duplicate
keys are reported, and the number of values and their nesting are bounded (`limits`) so a
small file can neither blow up memory nor overflow the parser's stack.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from diffuse.errors import Location, Problem
from diffuse.files.flowrows import Rows, splice
from diffuse.limits import DEFAULT_LIMITS, Limits

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_MAP, _SEQ, _STR, _NULL = _STD + "map", _STD + "seq", _STD + "str", _STD + "null"
# Plain scalars that implicit resolution turns into a tag that is refused (merge keys, `=`).
_SPECIAL_PLAIN = frozenset({"<<", "="})
_ODD_PLAIN = _NULLS | _SPECIAL_PLAIN

try:
    _Base: type[Any] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader with a cheap resolver. Plain scalars stay text whatever they look
    like (the models decide their type), so the regular expressions of YAML 1.1's implicit
    resolution would only be thrown away; they cost a fifth of the load time. Only the
    null words and the plain scalars that resolve to a refused tag are told apart."""

    def resolve(self, kind: Any, value: Any, implicit: Any, scalar: Any = yaml.ScalarNode) -> str:
        # Called for every value the file holds: the usual case is one test and one lookup.
        if kind is scalar:
            if value in _ODD_PLAIN and implicit[0]:
                return _NULL if value in _NULLS else str(super().resolve(kind, value, implicit))
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # The composer tells the resolver of every step down and up the tree, for path
    # resolvers, which this loader has none of: C callables that do nothing with their
    # arguments cost less than the Python methods they replace (about a tenth of composing).
    descend_resolver = staticmethod(slice)
    ascend_resolver = staticmethod(tuple)


# libyaml composes recursively in C and overflows the stack somewhere past 20,000 levels
# (less on a small thread stack); a document that might nest deeper than this is measured
# first with the parser's event stream, which keeps its own stack on the heap.
_SAFE_NESTING = 1000


# The libyaml releases known to refuse more than `_SAFE_NESTING` levels, as their version
# strings name them: no need to ask them (`_nesting_capped`).
_CAPPED_RELEASES = frozenset({"0.2.6"})


@functools.cache
def _nesting_capped() -> bool:
    """Whether the parser itself refuses more than `_SAFE_NESTING` levels of flow and of
    block nesting, as libyaml does from 0.2.6 on: then no text nests deep enough (a flow
    collection inside block ones, 2,000 levels at most) to overflow the composer's stack,
    and a long text need not be measured before it is composed. A release known to cap
    is taken at its word; any other is asked, once, with texts a level too deep (its
    scanner's work grows with the square of the depth: about a hundredth of reading a
    small tracker cold): whichever libyaml PyYAML was built with."""
    if _Base is yaml.SafeLoader:
        return False
    if _libyaml_release() in _CAPPED_RELEASES:
        return True
    return _refuses_deep_nesting()


def _libyaml_release() -> str:
    return str(yaml._yaml.get_version_string())


def _refuses_deep_nesting() -> bool:
    deep = _SAFE_NESTING + 1
    for text in ("[" * deep + "]" * deep, "- " * deep + "a"):
        try:
            yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError:
            continue
        return False
    return True


_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_LEAF = (yaml.ScalarEvent, yaml.AliasEvent)
_SCALAR = yaml.ScalarNode


class LimitError(yaml.MarkedYAMLError):
    """A document over a limit, refused before it is built. `code` is the problem code."""

    def __init__(self, code: str, message: str, mark: Any) -> None:
        super().__init__(problem=message, problem_mark=mark)
        self.code = code


@dataclass
class Converted:
    """A document's plain data, and the problems found turning its nodes into it."""

    data: Any
    problems: list[Problem] = field(default_factory=list)


def compose(text: str, limits: Limits = DEFAULT_LIMITS) -> list[yaml.Node]:
    """Every document in `text`; raises yaml.YAMLError (LimitError over a limit).

    The last few texts composed are remembered, so each is parsed once: an edit parses the
    text it makes to check it, its next step reads that text again, and validation reads
    the final one; the check that an edit keeps dates in order reads the organisation
    and practice files again. Nothing in diffuse changes a node once composed.
    """
    key = (text, limits)
    documents = _RECENT.pop(key, None)
    if documents is None:
        documents = _composed(text, limits)
    _RECENT[key] = documents  # the most recent last
    if len(_RECENT) > _RECENT_SIZE:
        del _RECENT[next(iter(_RECENT))]
    return list(documents)


# The documents of the texts `compose` read last, by text and limits.
_RECENT: dict[tuple[str, Limits], tuple[yaml.Node, ...]] = {}
_RECENT_SIZE = 8


def forget() -> None:
    """Let go of the texts `compose` remembers."""
    _RECENT.clear()


def _composed(text: str, limits: Limits) -> tuple[yaml.Node, ...]:
    if not may_exceed(text, limits):
        nodes = tuple(yaml.compose_all(text, Loader=_Loader))
    elif "*" not in text and _few_enough(text, limits):
        nodes = _compose_then_count(text, limits)
    else:
        _measure(text, limits)
        nodes = tuple(yaml.compose_all(text, Loader=_Loader))
    if "*" in text and any(_has_cycle(node) for node in nodes):
        raise LimitError("recursive-alias", RECURSIVE, _recursive_alias_mark(text))
    return nodes


RECURSIVE = (
    "an alias refers to the anchor of a value that contains it, so the value would never "
    "end; refused"
)


def _has_cycle(root: yaml.Node) -> bool:
    """Whether an alias inside an anchored value names that value (`a: &x [*x]`).

    The composer makes such an alias the very node that holds it, so the tree is a loop,
    and any walk that expands it (counting, converting, editing) would never end.
    """
    done: set[int] = set()
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            open_.discard(id(node))
            done.add(id(node))
            continue
        if id(node) in done:
            continue
        open_.add(id(node))
        stack.append((node, True))
        for kid in _children(node):
            if id(kid) in open_:
                return True
            if id(kid) not in done:
                stack.append((kid, False))
    return False


def _recursive_alias_mark(text: str) -> Any:
    """Where the first alias to a value still open stands, from the parser's events."""
    open_anchors: list[str | None] = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _OPEN):
            open_anchors.append(event.anchor)
        elif isinstance(event, _CLOSE):
            open_anchors.pop()
        elif isinstance(event, yaml.AliasEvent) and event.anchor in open_anchors:
            return event.start_mark
    return None


def may_exceed(text: str, limits: Limits = DEFAULT_LIMITS) -> bool:
    """False when `text` cannot hold too many values or nest too deep to compose safely.

    Every value takes at least half a character. A level of block nesting takes at least one
    more column, two levels at most share one (a list under a key), and a flow bracket opens
    at most two levels (`[a: [`), so these counts bound the depth from above.
    """
    if 2 * len(text) > limits.max_values:
        return True
    brackets = text.count("[") + text.count("{")
    return 2 * brackets + 2 * max(map(len, text.split("\n"))) + 2 > _SAFE_NESTING


def _few_enough(text: str, limits: Limits) -> bool:
    """Whether `text` is sure to compose safely, within the limit on values: a bound
    tighter than `may_exceed`'s for a long text.

    Every value but a document's root is an item of a sequence, which a '-', a '[' or a
    ',' opens, or the key or value of a pair, which a ':', a '?', a ',' or a '{' marks
    (two values each); a root needs a document, which '---' or '...' starts after the
    first. Nesting is bounded as in `may_exceed`, unless the parser bounds it itself
    (`_nesting_capped`): `_compose_then_count` then finds a document nested deeper than
    the limit after composing it, and reports it as measuring first would.
    """
    if not _nesting_capped():
        brackets = text.count("[") + text.count("{")
        if 2 * brackets + 2 * max(map(len, text.split("\n"))) + 2 > _SAFE_NESTING:
            return False
    items = text.count("-") + text.count("[")
    pairs = text.count(":") + text.count("?") + text.count(",") + text.count("{")
    documents = 1 + text.count("---") + text.count("...")
    return items + 2 * pairs + documents <= limits.max_values


def _compose_then_count(text: str, limits: Limits) -> tuple[yaml.Node, ...]:
    """The documents of a text without aliases, parsed once: composed, then their
    collections checked against the limits. A text over one, or that the parser refuses,
    is measured as before (`_measure`), which reports the first event past the limit:
    the same problem at the same place. `_few_enough` bounds what composing may build."""
    try:
        nodes = tuple(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError:
        _measure(text, limits)  # a limit reached before the error is what is reported
        raise
    if not _within(nodes, limits):
        _measure(text, limits)
    return nodes


def _within(roots: tuple[yaml.Node, ...], limits: Limits) -> bool:
    """Whether the nodes are no more than `limits.max_values` and no collection lies
    deeper than `_count` allows; scalars, most of a file, are counted, not visited. Read
    a level at a time: one list per level, not a pair per node."""
    values = len(roots)
    level = [root for root in roots if not isinstance(root, yaml.ScalarNode)]
    for _ in range(limits.max_depth + 1):
        below: list[yaml.Node] = []
        for node in level:
            if isinstance(node, yaml.MappingNode):
                values += 2 * len(node.value)
                below += [n for pair in node.value for n in pair if not isinstance(n, _SCALAR)]
            else:
                values += len(node.value)
                below += [n for n in node.value if not isinstance(n, _SCALAR)]
        if not below:
            return values <= limits.max_values
        level = below
    return False


def _measure(text: str, limits: Limits) -> None:
    try:
        _count(text, limits, _Loader)
    except LimitError:
        raise
    except yaml.YAMLError:
        # libyaml caps nesting in its scanner (1000 levels from PyYAML 6.0.4 on), and its
        # look-ahead can reach that cap before the event at which our own, lower limit
        # lies. The pure-Python parser has no cap and keeps its stack on the heap, so the
        # problem reported is the same whichever libyaml is installed.
        _count(text, limits, yaml.SafeLoader)
        raise


def _count(text: str, limits: Limits, loader: type[Any]) -> None:
    depth = values = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _OPEN):
            depth += 1
            values += 1
            if depth > limits.max_depth + 1:
                raise LimitError("too-deep", too_deep(limits), event.start_mark)
        elif isinstance(event, _CLOSE):
            depth -= 1
        elif isinstance(event, _LEAF):
            values += 1
        if values > limits.max_values:
            raise LimitError("too-large", too_many(limits), event.start_mark)


def too_deep(limits: Limits) -> str:
    return f"values are nested more than {limits.max_depth} levels deep"


def too_many(limits: Limits) -> str:
    return (
        f"the document expands to more than {limits.max_values:,} values (anchors and "
        "aliases included); refused"
    )


def where(path: Any, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def expanded_size(root: yaml.Node, limit: int = DEFAULT_LIMITS.max_values) -> int:
    """Node count with every alias expanded, computed once per distinct node."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        kids = _children(node)
        if children_done or not kids:
            sizes[id(node)] = min(limit + 1, 1 + sum(sizes.get(id(k), 0) for k in kids))
            continue
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def to_data(
    path: Any, root: yaml.Node, max_depth: int = DEFAULT_LIMITS.max_depth, rows: Rows | None = None
) -> Converted:
    """The data of the tree, with the problems of its keys and tags. With `rows` (the tree
    of a spliced text, `flowrows.splice`), each empty mapping at a row's place is that
    row's data, and the row is taken out of `rows`."""
    out = Converted(None)
    out.data = _convert(path, root, out.problems, 0, max_depth, rows)
    return out


def _convert(
    path: Any, node: yaml.Node, problems: list[Problem], depth: int, top: int, rows: Rows | None
) -> Any:
    if depth > top:
        raise _TooDeep(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(path, node, problems)
    if isinstance(node, yaml.SequenceNode):
        _check_tag(path, node, _SEQ, problems)
        if depth < top:
            # Plain text items, most of a list, are read here rather than one call each.
            return [
                (None if not item.style and item.value in _NULLS else item.value)
                if type(item) is _SCALAR and item.tag in _SCALAR_TAGS
                else _convert(path, item, problems, depth + 1, top, rows)
                for item in node.value
            ]
        return [_convert(path, item, problems, depth + 1, top, rows) for item in node.value]
    _check_tag(path, node, _MAP, problems)
    if rows and not node.value:
        row = rows.pop((node.start_mark.line, node.start_mark.column), None)
        if row is not None:
            if depth >= top:
                raise _Unspliced  # its values lie past the depth limit
            return row
    return _mapping(path, node, problems, depth, top, rows)


def _mapping(
    path: Any, node: yaml.Node, problems: list[Problem], depth: int, top: int, rows: Rows | None
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    inline = depth < top  # a value one level down is within the depth limit
    for key_node, value_node in node.value:
        if not isinstance(key_node, _SCALAR):
            problems.append(Problem(where(path, key_node), "bad-key", "a key must be plain text"))
            continue
        key = str(key_node.value)
        if key in result:
            line = _first_key(node, key).start_mark.line + 1
            problems.append(
                Problem(
                    where(path, key_node),
                    "duplicate-key",
                    f"duplicate key {shown(key)} (first given on line {line})",
                )
            )
            continue
        if inline and type(value_node) is _SCALAR and value_node.tag in _SCALAR_TAGS:
            # `_scalar` without the call: most values are plain text.
            value = value_node.value
            result[key] = None if not value_node.style and value in _NULLS else value
        else:
            result[key] = _convert(path, value_node, problems, depth + 1, top, rows)
    return result


def _first_key(node: yaml.Node, key: str) -> yaml.Node:
    """The first key node of the mapping written as `key`: the one a duplicate repeats."""
    return next(k for k, _v in node.value if isinstance(k, _SCALAR) and str(k.value) == key)


def shown(text: str, width: int = 60) -> str:
    """`text` quoted for a one-line message: line breaks escaped, long text shortened."""
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    if len(text) > width:
        text = text[: width - 3] + "..."
    return f"'{text}'"


def _scalar(path: Any, node: yaml.ScalarNode, problems: list[Problem]) -> Any:
    if node.tag not in _SCALAR_TAGS:
        _refuse_tag(path, node, problems)
        return None
    # libyaml reports a plain scalar's style as '' where the pure-Python parser says None.
    if not node.style and node.value in _NULLS:
        return None
    return node.value


def _check_tag(path: Any, node: yaml.Node, expected: str, problems: list[Problem]) -> None:
    if node.tag != expected:
        _refuse_tag(path, node, problems)


def _refuse_tag(path: Any, node: yaml.Node, problems: list[Problem]) -> None:
    problems.append(
        Problem(
            where(path, node),
            "unsafe-tag",
            f"the YAML tag {shown(node.tag)} is not allowed: only plain values, "
            "lists and mappings are read",
        )
    )


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__("too deep")
        self.node = node


class _Unspliced(Exception):
    """A row of a spliced text cannot be taken as read: compose the text as written."""


def convert_checked(
    path: Any,
    root: yaml.Node,
    limits: Limits = DEFAULT_LIMITS,
    aliases: bool = True,
    rows: Rows | None = None,
) -> Converted:
    """`to_data` with the size and depth limits turned into problems.

    Without `aliases` (no '*' in the text), `compose` has already bounded the node count.
    """
    if aliases and expanded_size(root, limits.max_values) > limits.max_values:
        return Converted(None, [Problem(where(path, root), "too-large", too_many(limits))])
    try:
        return to_data(path, root, limits.max_depth, rows)
    except _TooDeep as deep:
        return Converted(None, [Problem(where(path, deep.node), "too-deep", too_deep(limits))])


class Reading(NamedTuple):
    """A text's documents, and the data of the first when it is the only one."""

    documents: tuple[yaml.Node, ...]
    converted: Converted | None
    # The documents are of the spliced text (`flowrows`): the same but for the rows'
    # contents, so their positions hold, but the file's own tree must be composed again.
    spliced: bool


def read(text: str, path: Any = "", limits: Limits = DEFAULT_LIMITS) -> Reading:
    """`compose`, then `convert_checked` when the text holds one document: the one way
    text becomes data, for validation and for every check that reads a file. Raises as
    `compose` does.

    A text whose one-line list rows `flowrows.splice` reads is composed without them,
    and each row's data is taken where its empty mapping stands. When any row is not
    taken so, or the spliced text does not compose as one document, the text is read as
    written: the data and problems are always those of the text as written."""
    spliced = None
    if (text, limits) in _RECENT:
        pass  # composed as written already (an edit's text, checked and then validated)
    elif not may_exceed(text, limits) or _few_enough(text, limits):
        spliced = splice(text)  # the values are within the limit, rows or not
    if spliced is not None:
        rows = dict(spliced.rows)
        try:
            documents = tuple(compose(spliced.text, limits))
            if len(documents) == 1:
                converted = convert_checked(path, documents[0], limits, False, rows)
                if not rows:
                    return Reading(documents, converted, True)
        except (yaml.YAMLError, RecursionError, _Unspliced):
            pass  # the text as written shows what is wrong
    documents = tuple(compose(text, limits))
    if len(documents) != 1:
        return Reading(documents, None, False)
    return Reading(documents, convert_checked(path, documents[0], limits, "*" in text), False)


def plain_data(text: str, path: Any = "") -> tuple[bool, Any]:
    """(True, data) when `text` is one well-formed document within the limits, else
    (False, None): for old versions of a file, where a problem is no news."""
    try:
        converted = read(text, path).converted
    except (yaml.YAMLError, RecursionError):
        return False, None
    if converted is None or converted.problems:
        return False, None
    return True, converted.data
