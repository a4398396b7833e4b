"""``push``: the source template to Transifex and, with ``translations``, the local translations.

A source upload replaces the resource's strings: strings the new template lacks are deleted on
Transifex with every translation of them. So push first lists the remote strings, shows what
would be removed, and refuses unless ``allow_removals``. Translations are pushed only where the
translators have not changed the same messages since the last pull (else a conflict: pull first,
or ``force``). ``dry_run`` does the look-ups and none of the uploads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from i18n_tool.catalog import po as po_format
from i18n_tool.errors import InputError
from i18n_tool.sync.client import SyncError
from i18n_tool.sync.state import conflicts, message_key, translation_of


@dataclass(frozen=True)
class PushOptions:
    translations: bool = False
    allow_removals: bool = False
    force: bool = False
    dry_run: bool = False
    poll_interval: float = 2.0


@dataclass
class PushReport:
    resource: str
    created_resource: bool = False
    added: list = field(default_factory=list)  # msgids new on Transifex
    removed: list = field(default_factory=list)  # msgids Transifex would delete
    refused: bool = False
    uploaded: bool = False
    details: dict = field(default_factory=dict)  # what Transifex said of the source upload
    locales: list = field(default_factory=list)  # (locale, status, message)

    @property
    def fails(self) -> bool:
        return self.refused or any(status in ("conflict", "failed") for _, status, _ in self.locales)


def _key(context, msgid) -> tuple[str, str]:
    return context or "", msgid


def _remote_keys(client, resource_id: str) -> dict[tuple[str, str], str]:
    """(context, key) -> the source text, of every string of the resource on Transifex."""
    strings = client.ResourceString.filter(resource=resource_id).all()
    return {_key(s.attributes.get("context"), s.attributes["key"]): s.attributes.get("strings", {}).get("other", "")
            for s in strings}


def _exists(client, resource) -> bool:
    try:
        client.Resource.get(resource.id)
        return True
    except SyncError as error:
        if error.status == 404:
            return False
        raise


def push(client, resource, state, options: PushOptions, locales=()) -> PushReport:
    report = PushReport(resource.id)
    template_path = resource.source_path
    try:
        template = po_format.parse_file(template_path)
    except po_format.PoSyntaxError as error:
        raise InputError(error.message, path=error.path, line=error.line, col=error.col) from None
    local = {_key(e.msgctxt, e.msgid): e.msgid for e in template.active}
    exists = _exists(client, resource)
    remote = _remote_keys(client, resource.id) if exists else {}
    report.created_resource = not exists
    report.added = sorted(msgid for key, msgid in local.items() if key not in remote)
    report.removed = sorted(remote[key] or key[1] for key in remote if key not in local)
    if report.removed and not options.allow_removals:
        report.refused = True
        return report
    if options.dry_run:
        return report
    if not exists:
        client.Resource.create(slug=resource.slug, name=resource.name or resource.slug,
                               project=client.Project(id=resource.project_id),
                               i18n_format=client.I18nFormat(id="PO"))
    report.details = client.upload_source(resource.id, template_path.read_bytes(), options.poll_interval)
    report.uploaded = True
    if options.translations:
        for locale in locales:
            report.locales.append(_push_translations(client, resource, state, options, locale))
    return report


def _push_translations(client, resource, state, options, locale) -> tuple[str, str, str]:
    path = resource.path_for(locale)
    if not path.exists():
        return locale, "skipped", f"{locale}: no local catalog"
    catalog = po_format.parse_file(path)
    remote_code = resource.remote_language(locale)
    try:
        data = client.translations(resource.id, remote_code, "default", options.poll_interval)
        theirs = po_format.parse(data, f"{resource.id} [{locale}]")
    except (SyncError, po_format.PoSyntaxError) as error:
        return locale, "failed", f"{locale}: cannot compare with Transifex before pushing: {error}"
    ours = {message_key(e): translation_of(e) for e in catalog.active if translation_of(e) is not None}
    newer = conflicts(theirs.active, ours, state.recorded(resource.id, locale))
    if newer and not options.force:
        return locale, "conflict", (f"{locale}: translators changed {len(newer)} message(s) on Transifex since the "
                                    "last pull: not pushed (pull first, or push --force)")
    client.upload_translations(resource.id, remote_code, path.read_bytes(), options.poll_interval)
    state.record(resource.id, locale, catalog.entries)
    return locale, "pushed", f"{locale}: {len(ours)} translations pushed"
