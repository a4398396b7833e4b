"""The core metadata of an upload, from the form fields twine sends (Metadata 1.0 to 2.4).

The fields are ``packaging.metadata.RawMetadata``'s, three of them renamed (as twine and
Warehouse name them), repeated fields sent once per value, keywords joined with ", " and project
URLs as "label, url". ``packaging.metadata.Metadata.from_raw`` validates them.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.metadata import InvalidMetadata, Metadata

FORM_TO_RAW = {"platform": "platforms", "supported_platform": "supported_platforms", "license_file": "license_files"}
STRING_FIELDS = frozenset({
    "metadata_version", "name", "version", "summary", "description", "description_content_type", "home_page",
    "download_url", "author", "author_email", "maintainer", "maintainer_email", "license", "license_expression",
    "requires_python",
})
LIST_FIELDS = frozenset({
    "platforms", "supported_platforms", "classifiers", "requires", "provides", "obsoletes", "requires_dist",
    "provides_dist", "obsoletes_dist", "requires_external", "provides_extra", "dynamic", "license_files",
})
MAX_SUMMARY = 512  # the column's length


class MetadataRefused(ValueError):
    """Metadata an upload cannot have; the message says which field and why."""


@dataclass(frozen=True)
class UploadMetadata:
    metadata: Metadata  # validated: name, version (a Version), requires_python (a SpecifierSet)...
    raw: dict  # the fields as sent, by their RawMetadata names: what the release keeps

    @property
    def stored(self) -> dict:
        """What a release keeps beside its own columns (name, version, summary, description)."""
        kept = ("name", "version", "summary", "description", "description_content_type", "requires_python")
        return {key: value for key, value in self.raw.items() if key not in kept}


def _project_urls(values: list[str]) -> dict[str, str]:
    urls = {}
    for value in values:
        label, separator, url = value.partition(",")
        if not separator or not label.strip() or not url.strip():
            raise MetadataRefused(f"Invalid value for project_urls: {value!r} is not 'label, url'")
        urls[label.strip()] = url.strip()
    return urls


def raw_metadata(form) -> dict:
    """The RawMetadata dict of a form (a MultiDict): empty values left out, as if not sent."""
    raw: dict = {}
    for form_name in set(form.keys()):
        name = FORM_TO_RAW.get(form_name, form_name)
        values = [value for value in form.getall(form_name) if isinstance(value, str) and value.strip()]
        if not values:
            continue
        if name in STRING_FIELDS:
            if len(values) > 1:
                raise MetadataRefused(f"Invalid value for {form_name}: sent more than once")
            raw[name] = values[0]
        elif name in LIST_FIELDS:
            raw[name] = values
        elif name == "keywords":
            raw[name] = [word.strip() for value in values for word in value.split(",") if word.strip()]
        elif name == "project_urls":
            raw[name] = _project_urls(values)
    return raw


def _message(error: InvalidMetadata) -> str:
    return f"Invalid value for {error.field}: {error}"


def parse_metadata(form) -> UploadMetadata:
    """The validated metadata of an upload form; :class:`MetadataRefused` with the first problem."""
    raw = raw_metadata(form)
    for required in ("metadata_version", "name", "version"):
        if required not in raw:
            raise MetadataRefused(f"Missing metadata: {required}")
    try:
        metadata = Metadata.from_raw(raw)
    except ExceptionGroup as group:
        errors = sorted((error for error in group.exceptions if isinstance(error, InvalidMetadata)),
                        key=lambda error: error.field)
        raise MetadataRefused(_message(errors[0]) if errors else str(group)) from None
    except InvalidMetadata as error:
        raise MetadataRefused(_message(error)) from None
    if len(metadata.summary or "") > MAX_SUMMARY:
        raise MetadataRefused(f"Invalid value for summary: longer than {MAX_SUMMARY} characters")
    return UploadMetadata(metadata, raw)
