"""The message model: a .po/.pot file as its header and entries, with the lines they came from.

Comments are kept as written (the text after ``#``, ``#.`` or ``#:``), so a file read and
written again is unchanged; flags and strings are parsed.
"""

from dataclasses import dataclass, field


@dataclass(eq=False, slots=True)
class Entry:
    msgid: str
    msgstr: str | list = ""  # a list of forms when msgid_plural is set
    msgctxt: str | None = None
    msgid_plural: str | None = None
    flags: list = field(default_factory=list)
    comments: list = field(default_factory=list)  # translator comments, text after "#"
    auto_comments: list = field(default_factory=list)  # text after "#."
    locations: list = field(default_factory=list)  # text after "#:"
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = 0  # line of the msgid keyword (1-based)
    msgstr_line: int = 0  # line of the first msgstr keyword

    @property
    def key(self) -> tuple:
        return self.msgctxt, self.msgid

    @property
    def is_plural(self) -> bool:
        return self.msgid_plural is not None

    @property
    def forms(self) -> list:
        """The translation as a list of forms, one for a non-plural entry."""
        return self.msgstr if isinstance(self.msgstr, list) else [self.msgstr]

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Compiled by msgfmt: not fuzzy, not obsolete, and its first form is not empty."""
        return not self.obsolete and not self.fuzzy and bool(self.forms[0])

    @property
    def complete(self) -> bool:
        """Translated in every form."""
        return not self.obsolete and not self.fuzzy and all(self.forms)

    def references(self) -> list[tuple[str, int | None]]:
        """The ``file:line`` references of the ``#:`` comments."""
        found = []
        for text in self.locations:
            for token in text.split():
                name, _, line = token.rpartition(":")
                found.append((name, int(line)) if name and line.isdigit() else (token, None))
        return found


@dataclass(eq=False)
class PoFile:
    path: str
    header: Entry | None = None
    entries: list = field(default_factory=list)  # in file order, obsolete ones included

    @property
    def active(self) -> list:
        return [entry for entry in self.entries if not entry.obsolete]

    @property
    def obsolete(self) -> list:
        return [entry for entry in self.entries if entry.obsolete]

    def header_fields(self) -> dict:
        """The header's ``Name: value`` lines (names as written; the first of a repeated name wins)."""
        fields = {}
        for line in self.header.forms[0].split("\n") if self.header is not None else ():
            name, colon, value = line.partition(":")
            if colon and name.strip():
                fields.setdefault(name.strip(), value.strip())
        return fields

    def header_field(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.header_fields().items():
            if key.lower() == wanted:
                return value
        return None

    @property
    def language(self) -> str | None:
        return self.header_field("Language") or None

    @property
    def nplurals(self) -> int | None:
        """``nplurals`` of the Plural-Forms header, None when missing or unreadable."""
        forms = self.header_field("Plural-Forms") or ""
        for part in forms.split(";"):
            name, _, value = part.partition("=")
            if name.strip() == "nplurals" and value.strip().isdigit():
                return int(value.strip())
        return None
