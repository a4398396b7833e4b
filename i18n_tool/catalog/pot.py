"""Building the .pot template from extracted messages, and writing it without churn."""

import io
import re
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write

PYRAMID_FLAG = "pyramid-format"
PYRAMID_PLACEHOLDER = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")
_CREATION_DATE = re.compile(rb'^"POT-Creation-Date: [^"\n]*\\n"$', re.MULTILINE)


def build(results, output) -> Catalog:
    """A catalog of every message, added in the order pybabel adds them."""
    catalog = Catalog(
        project=output.project, version=output.version,
        copyright_holder=output.copyright_holder, msgid_bugs_address=output.msgid_bugs_address,
        last_translator=output.last_translator, charset=output.charset,
        **({"header_comment": output.header_comment} if output.header_comment else {}),
    )
    for result in results:
        for lineno, message, comments, context in result.messages:
            catalog.add(message, None, [(result.display, lineno)], auto_comments=comments, context=context)
    for message in catalog:
        if message.id:
            mark_pyramid_format(message)
    return catalog


def mark_pyramid_format(message: Message) -> None:
    """Flag Pyramid's ``${name}``, and keep Babel from calling it brace format."""
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    if not any(PYRAMID_PLACEHOLDER.search(text) for text in ids):
        return
    message.flags.add(PYRAMID_FLAG)
    without = tuple(PYRAMID_PLACEHOLDER.sub("", text) for text in ids)
    if not Message(without if len(without) > 1 else without[0]).python_brace_format:
        message.flags.discard("python-brace-format")


def render(catalog: Catalog, output) -> bytes:
    buffer = io.BytesIO()
    write_po(
        buffer, catalog, width=output.width,
        no_location=output.locations == "none", include_lineno=output.locations != "file",
        omit_header=output.omit_header,
        sort_output=output.sort == "msgid", sort_by_file=output.sort == "file",
    )
    return buffer.getvalue()


def read(path) -> Catalog:
    """A .po or .pot file, or an InputError naming the line that is wrong."""
    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    except PoFileError as exc:
        raise InputError(str(exc), path=str(path), line=getattr(exc, "lineno", None)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8: {exc.reason}", path=str(path)) from exc
    for message in catalog:
        if message.id:
            mark_pyramid_format(message)  # read_po calls ${name} brace format again
    return catalog


def message_key(message: Message):
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return message.context, msgid


def _signature(message: Message):
    return (message.id, message.context, tuple(sorted(message.flags - {"fuzzy"})),
            tuple(message.auto_comments))


@dataclass
class Difference:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


def compare(old: Catalog, new: Catalog) -> Difference:
    """Messages that ``new`` adds, drops or changes (plural, flags, comments) against ``old``."""
    before = {message_key(m): m for m in old if m.id}
    after = {message_key(m): m for m in new if m.id}
    return Difference(
        added=[after[k] for k in after if k not in before],
        removed=[before[k] for k in before if k not in after],
        changed=[after[k] for k in after if k in before and _signature(after[k]) != _signature(before[k])],
    )


def write(path, catalog: Catalog, output) -> bool:
    """Write the template; keep POT-Creation-Date when the messages are the same.

    Returns False when the file already held exactly this.
    """
    data = render(catalog, output)
    try:
        with open(path, "rb") as handle:
            old = handle.read()
    except FileNotFoundError:
        old = None
    if old is not None and old != data and _same_messages(path, catalog):
        data = _keep_creation_date(old, data)
    if data == old:
        return False
    atomic_write(path, data)
    return True


def _same_messages(path, catalog) -> bool:
    try:
        return not compare(read(path), catalog)
    except InputError:  # a broken old template is simply replaced
        return False


def _keep_creation_date(old: bytes, new: bytes) -> bytes:
    found = _CREATION_DATE.search(old)
    if not found:
        return new
    return _CREATION_DATE.sub(lambda _: found.group(0), new, count=1)
