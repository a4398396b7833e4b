"""A local stand-in for the part of the Transifex API v3 that ``push`` and ``pull`` use.

Transifex cannot be reached from the test machines, so the sync tests run the real SDK
(``transifex.api.TransifexApi``) against this server: the SDK itself then checks the contract
(JSON:API documents, ``links.next`` pagination, 202 + polling for async jobs, the 303 of a finished
download). The shapes follow the public API reference (rest.api.transifex.com, OpenAPI v3).

Usage::

    with FakeTransifex() as tx:                       # or the ``fake_transifex`` fixture
        project = tx.add_project("acme", "companion", source_language="en", languages=["de"])
        resource = tx.add_resource(project.id, "messages")
        api = TransifexApi(host=tx.base_url, auth=tx.token)

State is plain Python, inspectable and settable by tests: ``tx.organizations`` →
``Organization.projects`` → ``Project.resources`` → ``Resource.strings`` (the current source strings,
in file order, keyed by ``(key, context)``) and ``Resource.translations[language_code][(key, context)]``.

Key and context of a PO entry (one rule, used everywhere): ``key`` is the ``msgid`` (the singular
one for a plural entry), ``context`` is the ``msgctxt`` or ``""`` when there is none, and the pair
identifies the string. ``string_hash`` is ``md5(":".join([key, context]))`` as Transifex documents it
(help.transifex.com "How string hashes are calculated"), and ids are ``<resource id>:s:<hash>``.
``strings`` is ``{"other": msgid}``, or ``{"one": msgid, "other": msgid_plural}`` for a plural entry;
translations use the CLDR categories of their language (``plural_tags``). ``developer_comment`` is
the entry's ``#`` and ``#.`` comments joined with newlines, ``occurrences`` its ``#:`` references
joined with ``", "``.

Behaviour worth knowing (it is the real service's):

* a source upload REPLACES the resource's strings: strings missing from the new file are deleted
  with their translations in every language; a string whose text changed loses its translations
  unless the upload says ``keep_translations``;
* a translation upload only touches strings that exist; unknown, fuzzy, empty or incomplete
  (plural) entries are skipped; a changed translation loses its reviewed/proofread marks;
* ``resource_language_stats`` lists the source language too (every string translated), as the
  Transifex CLI expects (it skips the source language itself);
* a finished download answers **303** with ``Location: <base>/files/<token>`` and an empty body;
  ``/files/`` needs no token (it stands for Transifex's signed storage URLs), so a client that sends
  its token there shows up in ``tokens_seen``.

Fault injection, each consumed when it fires (first registered, first fired):
``fail(path_regex, status, times=1, retry_after=None, method=None, body=None)``,
``drop(path_regex, times=1)``, ``hang(path_regex, seconds, times=1)``,
``corrupt_next_file("garbage" | "truncated" | "broken-placeholder")`` and
``fail_next_job(kind, detail)``. The regex is searched in the decoded ``path?query``.
"""

import base64
import hashlib
import json
import re
import socket
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from i18n_tool.catalog import po
from i18n_tool.catalog.lifecycle import plural_forms
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.errors import InputError

JSONAPI = "application/vnd.api+json"
PLURAL_ORDER = ("zero", "one", "two", "few", "many", "other")
DOWNLOAD_MODES = ("default", "reviewed", "proofread", "translator", "untranslated", "onlytranslated",
                  "onlyreviewed", "onlyproofread", "sourceastranslation")
JOB_KINDS = ("resource_strings_async_uploads", "resource_translations_async_uploads",
             "resource_strings_async_downloads", "resource_translations_async_downloads")
CORRUPTIONS = ("garbage", "truncated", "broken-placeholder")
DEFAULT_LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt_BR", "pl", "ru", "ja", "ar")
GARBAGE = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n"

_ERRORS = {  # status -> (code, title, detail), as in the API reference's examples
    400: ("invalid", "Invalid", "The request is invalid"),
    401: ("unauthorized", "Unauthorized", "Please verify your credentials"),
    403: ("forbidden", "Operation not allowed", "You do not have permissions to perform this action"),
    404: ("not_found", "Object not found", "Object not found. It may have been deleted or not been created yet"),
    405: ("method_not_allowed", "Method not allowed", "This method is not allowed on this endpoint"),
    409: ("conflict", "Conflict", "The object already exists"),
    415: ("unsupported_media_type", "Unsupported media type", f"Use the {JSONAPI} media type"),
    429: ("throttled", "Throttled", "Request was throttled. Expected available in 60 seconds."),
    500: ("server_error", "Something went wrong", "Something went wrong, please try again"),
    502: ("bad_gateway", "Bad gateway", "Bad gateway"),
    503: ("service_unavailable", "Service unavailable", "The service is temporarily unavailable"),
}


# --- the model ---------------------------------------------------------------------------------


def string_hash(key: str, context: str = "") -> str:
    return hashlib.md5(":".join([key, context or ""]).encode("utf-8")).hexdigest()


def plural_tags(code: str) -> list[str]:
    """The CLDR categories of a language, one per ``msgstr[i]`` of ``plural_forms(code)``.

    Babel's gettext table sometimes has fewer forms than CLDR has categories (Polish: 3 for
    one/few/many/other); then the first ``n - 1`` categories and ``other`` are used, the same way
    for uploads and downloads.
    """
    from babel import Locale

    nplurals = int(plural_forms(code).split(";")[0].split("=")[1])
    known = Locale.parse(code).plural_form.tags
    tags = [tag for tag in PLURAL_ORDER if tag in known or tag == "other"]
    if len(tags) > nplurals:
        tags = tags[:nplurals - 1] + ["other"]
    if len(tags) != nplurals:
        raise ValueError(f"cannot map {nplurals} plural forms of {code} to CLDR categories {tags}")
    return tags


@dataclass
class SourceString:
    key: str
    context: str = ""
    strings: dict = field(default_factory=dict)  # {"other": ...} or {"one": ..., "other": ...}
    developer_comment: str | None = None
    occurrences: str | None = None
    flags: list = field(default_factory=list)  # kept for the downloaded files ("python-format", ...)
    datetime_created: str = ""
    strings_datetime_modified: str = ""

    @property
    def ident(self) -> tuple:
        return self.key, self.context

    @property
    def pluralized(self) -> bool:
        return set(self.strings) != {"other"}

    @property
    def string_hash(self) -> str:
        return string_hash(self.key, self.context)


@dataclass
class Translation:
    strings: dict | None  # per CLDR category of the language; None when untranslated
    reviewed: bool = False
    proofread: bool = False
    translator: str | None = "translator"  # a user name; ids are "u:<name>"
    reviewer: str | None = None
    proofreader: str | None = None
    origin: str = "EDITOR"
    datetime_translated: str | None = None

    @property
    def translated(self) -> bool:
        return bool(self.strings) and all(self.strings.values())


@dataclass
class Resource:
    id: str
    slug: str
    name: str
    project_id: str
    i18n_format: str = "PO"
    strings: dict = field(default_factory=dict)  # (key, context) -> SourceString, in file order
    translations: dict = field(default_factory=dict)  # language code -> {(key, context): Translation}
    header: Entry | None = None  # the last uploaded source file's header
    datetime_created: str = ""
    datetime_modified: str = ""


@dataclass
class Project:
    id: str
    slug: str
    name: str
    organization_id: str
    source_language: str
    languages: list = field(default_factory=list)  # target language codes
    resources: dict = field(default_factory=dict)  # slug -> Resource


@dataclass
class Organization:
    id: str
    slug: str
    name: str
    projects: dict = field(default_factory=dict)  # slug -> Project


@dataclass
class Job:
    id: str
    kind: str  # one of JOB_KINDS
    resource_id: str
    language: str | None = None  # a language code, for translation jobs
    status: str = "pending"  # pending, processing, succeeded, failed
    polls_left: int = 1
    options: dict = field(default_factory=dict)  # mode, content_encoding, keep_translations, ...
    content: bytes = b""  # what was uploaded
    details: dict | None = None
    errors: list = field(default_factory=list)
    skipped: int = 0  # translation uploads: entries skipped (not part of the API's details)
    file_token: str | None = None
    forced_failure: tuple | None = None  # (code, detail) from fail_next_job
    date_created: str = ""
    date_modified: str = ""


@dataclass
class StoredFile:
    content: bytes
    content_encoding: str = "text"


@dataclass
class Fault:
    kind: str  # fail, drop, hang
    pattern: re.Pattern
    times: int = 1
    method: str | None = None
    status: int = 500
    retry_after: int | str | None = None
    seconds: float = 0.0
    body: bytes | None = None


@dataclass
class RecordedRequest:
    method: str
    target: str  # decoded path?query
    headers: dict  # without Authorization
    body: bytes


# --- HTTP plumbing -----------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: object
    body: bytes

    def document(self) -> dict:
        """The JSON:API body of a POST; 415 or 400 when it is not one."""
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith(JSONAPI):
            raise ApiError(415)
        try:
            document = json.loads(self.body or b"null")
        except ValueError:
            raise ApiError(400, detail="The body is not valid JSON") from None
        if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
            raise ApiError(400, detail="The body must be a JSON:API document with a `data` object")
        return document["data"]

    def form(self) -> dict:
        """The fields of a multipart/form-data body: name -> bytes."""
        content_type = self.headers.get("Content-Type", "")
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + self.body)
        if not message.is_multipart():
            raise ApiError(400, detail="Expected a multipart/form-data body")
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                fields[name] = part.get_payload(decode=True) or b""
        return fields


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)


DROP = object()  # a handler's answer meaning "close the connection without a response"


class ApiError(Exception):
    """Raised by handlers; becomes a JSON:API error document."""

    def __init__(self, status: int, code: str | None = None, detail: str | None = None,
                 title: str | None = None, headers: dict | None = None):
        default_code, default_title, default_detail = _ERRORS.get(status, ("error", "Error", "Error"))
        super().__init__(detail or default_detail)
        self.status = status
        self.code = code or default_code
        self.title = title or default_title
        self.detail = detail or default_detail
        self.headers = headers or {}

    def response(self) -> Response:
        error = {"status": str(self.status), "code": self.code, "title": self.title, "detail": self.detail}
        return _json_response(self.status, {"errors": [error]}, self.headers)


def _json_response(status: int, document: dict, headers: dict | None = None) -> Response:
    body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return Response(status, body, {"Content-Type": JSONAPI, **(headers or {})})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = None  # set on the subclass made by FakeTransifex.start

    def log_message(self, format, *args):  # keep test output clean
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        response = self.fake._handle(self.command, self.path, self.headers, body)
        if response is DROP:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a hung handler must not keep stop() waiting

    def handle_error(self, request, client_address):
        pass  # a client that timed out or went away is not the server's problem


# --- the fake ----------------------------------------------------------------------------------


class FakeTransifex:
    """The server: ``start()`` → base URL, ``stop()``, or use it as a context manager."""

    def __init__(self, token: str = "test-token", host: str = "127.0.0.1", port: int = 0):
        self.token = token
        self.host, self.port = host, port
        self.base_url: str | None = None
        self.file_base_url: str | None = None  # where /files/ links point; base_url when None
        self.page_size = 150
        self.polls_before_done = 1  # GETs of a job answering "processing" before it is done
        self.absolute_links = True  # links.next/self as absolute URLs (else "/path?query")
        self.user = "i18n-bot"  # the token's user: translator of uploaded translations
        self.accept_empty_source = True  # a source file without strings deletes every string
        self.now = lambda: datetime.now(timezone.utc)

        self.organizations: dict[str, Organization] = {}
        self.languages: dict[str, dict] = {}  # code -> attributes
        self.jobs: dict[str, Job] = {}
        self.files: dict[str, StoredFile] = {}

        self.requests: list[tuple[str, str]] = []  # (method, decoded path?query)
        self.tokens_seen: list[tuple[str, str, str]] = []  # (method, path, Authorization header)
        self.log: list[RecordedRequest] = []
        self.server_errors: list[str] = []  # tracebacks of handler bugs (answered with 500)
        self.faults: list[Fault] = []
        self.corruptions: list[str] = []  # pending corrupt_next_file kinds, oldest first
        self.job_failures: dict[str, tuple] = {}  # job kind -> (code, detail) for its next job

        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server = None
        self._thread = None
        for code in DEFAULT_LANGUAGES:
            self.add_language(code)

    # --- lifecycle

    def start(self) -> str:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _Server((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        self._stopping.clear()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-transifex", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self):
        if self._server is None:
            return
        self._stopping.set()  # wakes hung handlers
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # --- state helpers for tests

    def add_language(self, code: str) -> dict:
        from babel import Locale

        with self._lock:
            if code not in self.languages:
                locale = Locale.parse(code)
                rules = dict(locale.plural_form.rules)
                self.languages[code] = {
                    "code": code,
                    "name": locale.english_name,
                    "rtl": locale.character_order == "right-to-left",
                    "plural_equation": plural_forms(code).split("plural=", 1)[1].rstrip(";").strip(),
                    "plural_rules": {tag: rules.get(tag, "") for tag in plural_tags(code)},
                }
            return self.languages[code]

    def add_organization(self, slug: str, name: str | None = None) -> Organization:
        with self._lock:
            org_id = f"o:{slug}"
            if org_id not in self.organizations:
                self.organizations[org_id] = Organization(org_id, slug, name or slug)
            return self.organizations[org_id]

    def add_project(self, organization: str, slug: str, source_language: str = "en",
                    languages=("de", "fr"), name: str | None = None) -> Project:
        with self._lock:
            org = self.add_organization(organization.removeprefix("o:"))
            for code in (source_language, *languages):
                self.add_language(code)
            project = Project(f"{org.id}:p:{slug}", slug, name or slug, org.id, source_language, list(languages))
            org.projects[slug] = project
            return project

    def add_resource(self, project_id: str, slug: str, name: str | None = None) -> Resource:
        with self._lock:
            project = self.project(project_id)
            stamp = self._stamp()
            resource = Resource(f"{project.id}:r:{slug}", slug, name or slug, project.id,
                                datetime_created=stamp, datetime_modified=stamp)
            project.resources[slug] = resource
            return resource

    def organization(self, org_id: str) -> Organization:
        with self._lock:
            if org_id not in self.organizations:
                raise ApiError(404)
            return self.organizations[org_id]

    def project(self, project_id: str) -> Project:
        with self._lock:
            match = re.fullmatch(r"(o:[^:]+):p:([^:]+)", project_id or "")
            org = self.organizations.get(match.group(1)) if match else None
            if org is None or match.group(2) not in org.projects:
                raise ApiError(404)
            return org.projects[match.group(2)]

    def resource(self, resource_id: str) -> Resource:
        with self._lock:
            match = re.fullmatch(r"(o:[^:]+:p:[^:]+):r:([^:]+)", resource_id or "")
            if not match:
                raise ApiError(404)
            resources = self.project(match.group(1)).resources
            if match.group(2) not in resources:
                raise ApiError(404)
            return resources[match.group(2)]

    def load_source(self, resource_id: str, content: bytes, keep_translations: bool = False) -> dict:
        """Apply a source file at once, as a finished upload would; returns the details."""
        with self._lock:
            return self._apply_source(self.resource(resource_id), content, keep_translations)

    def set_translation(self, resource_id: str, language: str, key: str, text, context: str = "",
                        reviewed: bool = False, proofread: bool = False, translator: str = "anna") -> Translation:
        """Store a translation: ``text`` is a string, or a list of forms for a plural string."""
        with self._lock:
            resource = self.resource(resource_id)
            if (key, context) not in resource.strings:
                raise KeyError(f"no source string {(key, context)} in {resource_id}")
            self.add_language(language)
            tags = plural_tags(language)
            if isinstance(text, list) and len(text) != len(tags):
                raise ValueError(f"{language} has {len(tags)} plural forms ({', '.join(tags)}), got {len(text)}")
            strings = dict(zip(tags, text)) if isinstance(text, list) else {"other": text}
            translation = Translation(strings, reviewed=reviewed or proofread, proofread=proofread,
                                      translator=translator, reviewer=translator if reviewed or proofread else None,
                                      proofreader=translator if proofread else None,
                                      datetime_translated=self._stamp())
            resource.translations.setdefault(language, {})[(key, context)] = translation
            return translation

    # --- fault injection

    def fail(self, path_regex: str, status: int, times: int = 1, retry_after=None, method: str | None = None,
             body: bytes | None = None):
        """Answer ``status`` with a JSON:API error (or ``body`` as text/html) the next ``times`` matches."""
        self._add_fault(Fault("fail", re.compile(path_regex), times, method, status=status,
                              retry_after=retry_after, body=body))

    def drop(self, path_regex: str, times: int = 1, method: str | None = None):
        """Close the connection without an answer."""
        self._add_fault(Fault("drop", re.compile(path_regex), times, method))

    def hang(self, path_regex: str, seconds: float, times: int = 1, method: str | None = None):
        """Sleep ``seconds`` before answering normally (for client timeouts)."""
        self._add_fault(Fault("hang", re.compile(path_regex), times, method, seconds=seconds))

    def corrupt_next_file(self, kind: str):
        """Spoil the next ``/files/`` answer: "garbage", "truncated" or "broken-placeholder"."""
        if kind not in CORRUPTIONS:
            raise ValueError(f"unknown corruption {kind!r}; one of {CORRUPTIONS}")
        with self._lock:
            self.corruptions.append(kind)

    def fail_next_job(self, kind: str, detail: str = "Something went wrong while processing the file",
                      code: str = "server_error"):
        """The next job of ``kind`` (e.g. "resource_translations_async_downloads") ends "failed"."""
        if kind not in JOB_KINDS:
            raise ValueError(f"unknown job kind {kind!r}; one of {JOB_KINDS}")
        with self._lock:
            self.job_failures[kind] = (code, detail)

    def _add_fault(self, fault: Fault):
        with self._lock:
            self.faults.append(fault)

    def _take_fault(self, method: str, target: str) -> Fault | None:
        for fault in self.faults:
            if (fault.method is None or fault.method.upper() == method) and fault.pattern.search(target):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    # --- dispatch

    def _handle(self, method: str, raw_target: str, headers, body: bytes):
        parts = urlsplit(raw_target)
        path = unquote(parts.path)
        target = path + (f"?{unquote(parts.query)}" if parts.query else "")
        authorization = headers.get("Authorization")
        with self._lock:
            self.requests.append((method, target))
            if authorization is not None:
                self.tokens_seen.append((method, path, authorization))
            self.log.append(RecordedRequest(method, target, {k: v for k, v in headers.items()
                                                             if k.lower() != "authorization"}, body))
            fault = self._take_fault(method, target)
        if fault is not None:
            if fault.kind == "drop":
                return DROP
            if fault.kind == "hang" and self._stopping.wait(fault.seconds):
                return DROP  # stopped while hanging
            if fault.kind == "fail":
                return self._fault_response(fault)
        request = Request(method, path, dict(parse_qsl(parts.query, keep_blank_values=True)), headers, body)
        with self._lock:
            try:
                if not path.startswith("/files/"):
                    self._check_auth(authorization)
                handler, params = self._route(method, path)
                return handler(self, request, **params)
            except ApiError as exc:
                return exc.response()
            except Exception:
                self.server_errors.append(traceback.format_exc())
                return ApiError(500).response()

    def _fault_response(self, fault: Fault) -> Response:
        headers = {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
        if fault.body is not None:
            return Response(fault.status, fault.body, {"Content-Type": "text/html", **headers})
        detail = None
        if fault.status == 429 and fault.retry_after is not None:
            detail = f"Request was throttled. Expected available in {fault.retry_after} seconds."
        return ApiError(fault.status, detail=detail, headers=headers).response()

    def _check_auth(self, authorization: str | None):
        if authorization != f"Bearer {self.token}":
            raise ApiError(401)

    def _route(self, method: str, path: str):
        allowed = False
        for route_method, pattern, handler in _ROUTES:
            match = pattern.fullmatch(path)
            if match:
                if route_method == method:
                    return handler, match.groupdict()
                allowed = True
        raise ApiError(405 if allowed else 404)

    # --- documents

    def _stamp(self) -> str:
        return self.now().strftime("%Y-%m-%dT%H:%M:%SZ")

    def _url(self, path: str, query: dict | None = None) -> str:
        url = (self.base_url or "") + path if self.absolute_links else path
        if query:
            url += "?" + urlencode(query, safe="[]:")
        return url

    def _rel(self, type_: str, id_: str) -> dict:
        return {"data": {"type": type_, "id": id_}, "links": {"related": self._url(f"/{type_}/{id_}")}}

    def _user_rel(self, name: str | None) -> dict | None:
        return None if name is None else self._rel("users", f"u:{name}")

    def _page(self, request: Request, items: list, render, included=None) -> Response:
        """One page of a collection, with ``links.next``/``previous`` carrying ``page[cursor]``."""
        size = self.page_size
        if request.query.get("limit"):
            try:
                size = int(request.query["limit"])
            except ValueError:
                raise ApiError(400, detail="`limit` must be a number") from None
        offset = 0
        if request.query.get("page[cursor]"):
            try:
                offset = int(base64.urlsafe_b64decode(request.query["page[cursor]"].encode()).split(b"=")[1])
            except (ValueError, IndexError):
                raise ApiError(400, detail="Invalid `page[cursor]`") from None
        chunk = items[offset:offset + size]
        params = {k: v for k, v in request.query.items() if k != "page[cursor]"}

        def link(at):
            cursor = base64.urlsafe_b64encode(f"offset={at}".encode()).decode()
            return self._url(request.path, {**params, "page[cursor]": cursor} if at else params)

        links = {"self": link(offset),
                 "next": link(offset + size) if offset + size < len(items) else None,
                 "previous": link(max(offset - size, 0)) if offset > 0 else None}
        document = {"data": [render(item) for item in chunk], "links": links}
        if included is not None:
            document["included"] = included(chunk)
        return _json_response(200, document)

    def _organization_doc(self, org: Organization) -> dict:
        return {"type": "organizations", "id": org.id,
                "attributes": {"slug": org.slug, "name": org.name, "logo_url": None, "private": True},
                "relationships": {"projects": {"links": {
                    "related": self._url("/projects", {"filter[organization]": org.id})}}},
                "links": {"self": self._url(f"/organizations/{org.id}")}}

    def _project_doc(self, project: Project) -> dict:
        return {"type": "projects", "id": project.id,
                "attributes": {"slug": project.slug, "name": project.name, "description": "", "private": True,
                               "type": "file", "tags": [], "archived": False,
                               "translation_memory_fillup": False, "machine_translation_fillup": False},
                "relationships": {
                    "organization": self._rel("organizations", project.organization_id),
                    "source_language": self._rel("languages", f"l:{project.source_language}"),
                    "languages": {"links": {
                        "self": self._url(f"/projects/{project.id}/relationships/languages"),
                        "related": self._url(f"/projects/{project.id}/languages")}},
                },
                "links": {"self": self._url(f"/projects/{project.id}")}}

    def _language_doc(self, code: str) -> dict:
        return {"type": "languages", "id": f"l:{code}", "attributes": dict(self.languages[code]),
                "links": {"self": self._url(f"/languages/l:{code}")}}

    def _resource_doc(self, resource: Resource) -> dict:
        words = sum(_words(s) for s in resource.strings.values())
        return {"type": "resources", "id": resource.id,
                "attributes": {"slug": resource.slug, "name": resource.name, "priority": "normal",
                               "i18n_type": resource.i18n_format, "i18n_version": 2,
                               "accept_translations": True, "string_count": len(resource.strings),
                               "word_count": words, "categories": [], "i18n_options": {},
                               "datetime_created": resource.datetime_created,
                               "datetime_modified": resource.datetime_modified},
                "relationships": {"project": self._rel("projects", resource.project_id),
                                  "i18n_format": {"data": {"type": "i18n_formats", "id": resource.i18n_format}}},
                "links": {"self": self._url(f"/resources/{resource.id}")}}

    def _string_doc(self, resource: Resource, string: SourceString, order: int | None = None) -> dict:
        project = self.project(resource.project_id)
        string_id = f"{resource.id}:s:{string.string_hash}"
        return {"type": "resource_strings", "id": string_id,
                "attributes": {"appearance_order": order, "key": string.key, "context": string.context,
                               "strings": dict(string.strings), "tags": [], "occurrences": string.occurrences,
                               "developer_comment": string.developer_comment, "instructions": None,
                               "character_limit": None, "pluralized": string.pluralized,
                               "string_hash": string.string_hash, "datetime_created": string.datetime_created,
                               "metadata_datetime_modified": string.strings_datetime_modified,
                               "strings_datetime_modified": string.strings_datetime_modified},
                "relationships": {"resource": self._rel("resources", resource.id),
                                  "language": self._rel("languages", f"l:{project.source_language}"),
                                  "committer": self._rel("users", f"u:{self.user}")},
                "links": {"self": self._url(f"/resource_strings/{string_id}")}}

    def _translation_doc(self, resource: Resource, code: str, string: SourceString) -> dict:
        translation = resource.translations.get(code, {}).get(string.ident) or Translation(None, translator=None)
        translated = translation.translated
        string_id = f"{resource.id}:s:{string.string_hash}"
        return {"type": "resource_translations", "id": f"{string_id}:l:{code}",
                "attributes": {"strings": dict(translation.strings) if translated else None,
                               "reviewed": translated and translation.reviewed,
                               "proofread": translated and translation.proofread,
                               "finalized": translated and translation.reviewed,
                               "origin": translation.origin if translated else None,
                               "datetime_created": string.datetime_created,
                               "datetime_translated": translation.datetime_translated if translated else None,
                               "datetime_reviewed": translation.datetime_translated if translation.reviewed else None,
                               "datetime_proofread": translation.datetime_translated if translation.proofread else None},
                "relationships": {"resource": self._rel("resources", resource.id),
                                  "language": self._rel("languages", f"l:{code}"),
                                  "resource_string": self._rel("resource_strings", string_id),
                                  "translator": self._user_rel(translation.translator if translated else None),
                                  "reviewer": self._user_rel(translation.reviewer if translated else None),
                                  "proofreader": self._user_rel(translation.proofreader if translated else None)},
                "links": {"self": self._url(f"/resource_translations/{string_id}:l:{code}")}}

    def _stats_doc(self, resource: Resource, code: str) -> dict:
        strings = list(resource.strings.values())
        if code == self.project(resource.project_id).source_language:
            translated = strings
            reviewed = proofread = []
            stamps = [s.strings_datetime_modified for s in strings]
        else:
            translations = resource.translations.get(code, {})
            done = {s.ident: translations[s.ident] for s in strings
                    if s.ident in translations and translations[s.ident].translated}
            translated = [s for s in strings if s.ident in done]
            reviewed = [s for s in translated if done[s.ident].reviewed]
            proofread = [s for s in translated if done[s.ident].proofread]
            stamps = [t.datetime_translated for t in done.values() if t.datetime_translated]
        done_idents = {s.ident for s in translated}
        untranslated = [s for s in strings if s.ident not in done_idents]
        last = max(stamps, default=None)
        stats_id = f"{resource.id}:l:{code}"
        return {"type": "resource_language_stats", "id": stats_id,
                "attributes": {
                    "untranslated_strings": len(untranslated), "translated_strings": len(translated),
                    "reviewed_strings": len(reviewed), "proofread_strings": len(proofread),
                    "total_strings": len(strings),
                    "untranslated_words": sum(map(_words, untranslated)),
                    "translated_words": sum(map(_words, translated)),
                    "reviewed_words": sum(map(_words, reviewed)), "proofread_words": sum(map(_words, proofread)),
                    "total_words": sum(map(_words, strings)),
                    "last_update": last or resource.datetime_modified, "last_translation_update": last,
                    "last_review_update": last if reviewed else None,
                    "last_proofread_update": last if proofread else None},
                "relationships": {"resource": self._rel("resources", resource.id),
                                  "language": self._rel("languages", f"l:{code}")},
                "links": {"self": self._url(f"/resource_language_stats/{stats_id}")}}

    def _job_doc(self, job: Job) -> dict:
        attributes = {"status": job.status, "errors": list(job.errors),
                      "date_created": job.date_created, "date_modified": job.date_modified}
        if job.kind.endswith("_uploads"):
            attributes["details"] = job.details
        relationships = {"resource": self._rel("resources", job.resource_id)}
        if job.language is not None:
            relationships["language"] = self._rel("languages", f"l:{job.language}")
        return {"type": job.kind, "id": job.id, "attributes": attributes, "relationships": relationships,
                "links": {"self": self._url(f"/{job.kind}/{job.id}")}}

    # --- handlers: organizations, projects, languages, resources

    def _list_organizations(self, request):
        orgs = [o for o in self.organizations.values()
                if request.query.get("filter[slug]") in (None, o.slug)]
        return self._page(request, orgs, self._organization_doc)

    def _get_organization(self, request, org_id):
        return _json_response(200, {"data": self._organization_doc(self.organization(org_id))})

    def _list_projects(self, request):
        org = self.organization(_required(request, "filter[organization]"))
        projects = [p for p in org.projects.values() if request.query.get("filter[slug]") in (None, p.slug)]
        return self._page(request, projects, self._project_doc)

    def _get_project(self, request, project_id):
        return _json_response(200, {"data": self._project_doc(self.project(project_id))})

    def _list_project_languages(self, request, project_id):
        return self._page(request, self.project(project_id).languages, self._language_doc)

    def _list_languages(self, request):
        codes = [c for c in self.languages if request.query.get("filter[code]") in (None, c)]
        return self._page(request, codes, self._language_doc)

    def _get_language(self, request, language_id):
        return _json_response(200, {"data": self._language_doc(self._language_code(language_id))})

    def _list_resources(self, request):
        project = self.project(_required(request, "filter[project]"))
        return self._page(request, list(project.resources.values()), self._resource_doc)

    def _get_resource(self, request, resource_id):
        return _json_response(200, {"data": self._resource_doc(self.resource(resource_id))})

    def _create_resource(self, request):
        data = request.document()
        attributes = data.get("attributes") or {}
        relationships = data.get("relationships") or {}
        slug, name = attributes.get("slug"), attributes.get("name")
        if not name:
            raise ApiError(400, detail="`name` is required")
        if not slug or not re.fullmatch(r"[a-zA-Z0-9_-]+", slug):
            raise ApiError(400, detail="Enter a valid `slug` consisting of letters, numbers, underscores or hyphens")
        project = self.project(_relationship_id(relationships, "project"))
        i18n_format = _relationship_id(relationships, "i18n_format")
        if i18n_format != "PO":
            raise ApiError(400, detail=f"i18n_format {i18n_format!r} is not supported by the fake (only PO)")
        if slug in project.resources:
            raise ApiError(409, detail=f"A resource with slug `{slug}` already exists")
        resource = self.add_resource(project.id, slug, name)
        return _json_response(201, {"data": self._resource_doc(resource)})

    # --- handlers: strings, translations, stats

    def _list_resource_strings(self, request):
        resource = self.resource(_required(request, "filter[resource]"))
        key = request.query.get("filter[key]")
        strings = [(order, s) for order, s in enumerate(resource.strings.values()) if key in (None, s.key)]
        return self._page(request, strings, lambda item: self._string_doc(resource, item[1], item[0]))

    def _get_resource_string(self, request, string_id):
        resource_id, _, digest = string_id.rpartition(":s:")
        resource = self.resource(resource_id)
        for order, string in enumerate(resource.strings.values()):
            if string.string_hash == digest:
                return _json_response(200, {"data": self._string_doc(resource, string, order)})
        raise ApiError(404)

    def _list_resource_translations(self, request):
        resource = self.resource(_required(request, "filter[resource]"))
        code = self._language_code(_required(request, "filter[language]"))
        strings = list(resource.strings.values())
        if request.query.get("filter[resource_string][key]") is not None:
            strings = [s for s in strings if s.key == request.query["filter[resource_string][key]"]]
        translations = resource.translations.get(code, {})
        for name in ("translated", "reviewed", "proofread"):
            wanted = request.query.get(f"filter[{name}]")
            if wanted is not None:
                def state(s, name=name):
                    t = translations.get(s.ident)
                    return bool(t and t.translated and (name == "translated" or getattr(t, name)))
                strings = [s for s in strings if state(s) == (wanted.lower() == "true")]
        included = None
        if "resource_string" in request.query.get("include", "").split(","):
            order = {s.ident: i for i, s in enumerate(resource.strings.values())}
            included = lambda chunk: [self._string_doc(resource, s, order[s.ident]) for s in chunk]  # noqa: E731
        return self._page(request, strings, lambda s: self._translation_doc(resource, code, s), included)

    def _stats_for(self, resource: Resource, language: str | None) -> list:
        project = self.project(resource.project_id)
        codes = sorted({project.source_language, *project.languages, *resource.translations})
        return [(resource, code) for code in codes if language in (None, code)]

    def _list_stats(self, request):
        project = self.project(_required(request, "filter[project]"))
        language = request.query.get("filter[language]")
        code = self._language_code(language) if language else None
        if request.query.get("filter[resource]"):
            resources = [self.resource(request.query["filter[resource]"])]
        else:
            resources = list(project.resources.values())
        items = [item for resource in resources for item in self._stats_for(resource, code)]
        return self._page(request, items, lambda item: self._stats_doc(*item))

    def _get_stats(self, request, stats_id):
        resource_id, _, code = stats_id.rpartition(":l:")
        items = self._stats_for(self.resource(resource_id), code)
        if not items:
            raise ApiError(404)
        return _json_response(200, {"data": self._stats_doc(*items[0])})

    # --- handlers: async jobs and files

    def _new_job(self, kind: str, resource: Resource, language: str | None = None, **fields) -> Response:
        stamp = self._stamp()
        job = Job(str(uuid.uuid4()), kind, resource.id, language, polls_left=self.polls_before_done,
                  forced_failure=self.job_failures.pop(kind, None), date_created=stamp, date_modified=stamp,
                  **fields)
        self.jobs[job.id] = job
        return _json_response(202, {"data": self._job_doc(job)},
                              {"Content-Location": self._url(f"/{kind}/{job.id}")})

    def _upload_fields(self, request: Request, with_language: bool) -> tuple:
        """(resource, language code, content, options) of a multipart or JSON:API upload."""
        if request.headers.get("Content-Type", "").startswith("multipart/form-data"):
            form = request.form()
            text = {k: v.decode("utf-8", "replace") for k, v in form.items() if k != "content"}
            if "content" not in form:
                raise ApiError(400, detail="`content` is required")
            content, resource_id, language_id = form["content"], text.get("resource"), text.get("language")
            options = text
        else:
            data = request.document()
            options = dict(data.get("attributes") or {})
            relationships = data.get("relationships") or {}
            resource_id = _relationship_id(relationships, "resource")
            language_id = _relationship_id(relationships, "language") if with_language else None
            raw = options.pop("content", None)
            if raw is None:
                raise ApiError(400, detail="`content` is required")
            if options.get("content_encoding") == "base64":
                content = base64.b64decode(raw)
            else:
                content = raw.encode("utf-8")
        if not resource_id:
            raise ApiError(400, detail="`resource` is required")
        resource = self.resource(resource_id)
        code = None
        if with_language:
            if not language_id:
                raise ApiError(400, detail="`language` is required")
            code = self._project_language(resource, language_id)
        return resource, code, content, options

    def _create_strings_upload(self, request):
        resource, _, content, options = self._upload_fields(request, with_language=False)
        keep = str(options.get("keep_translations", "false")).lower() == "true"
        return self._new_job("resource_strings_async_uploads", resource, content=content,
                             options={"keep_translations": keep})

    def _create_translations_upload(self, request):
        resource, code, content, options = self._upload_fields(request, with_language=True)
        if options.get("file_type", "default") != "default":
            raise ApiError(400, detail=f"file_type {options['file_type']!r} is not supported by the fake")
        return self._new_job("resource_translations_async_uploads", resource, code, content=content)

    def _download_options(self, data: dict) -> dict:
        attributes = data.get("attributes") or {}
        options = {"content_encoding": attributes.get("content_encoding", "text"),
                   "file_type": attributes.get("file_type", "default"),
                   "mode": attributes.get("mode", "default"), "pseudo": attributes.get("pseudo", False)}
        if options["content_encoding"] not in ("text", "base64"):
            raise ApiError(400, detail="`content_encoding` must be text or base64")
        if options["file_type"] != "default":
            raise ApiError(400, detail=f"file_type {options['file_type']!r} is not supported by the fake")
        if options["mode"] not in DOWNLOAD_MODES:
            raise ApiError(400, detail=f"`mode` must be one of {', '.join(DOWNLOAD_MODES)}")
        unknown = set(attributes) - {"callback_url", *options}
        if unknown:
            raise ApiError(400, detail=f"Unknown attributes: {', '.join(sorted(unknown))}")
        return options

    def _create_strings_download(self, request):
        data = request.document()
        options = self._download_options(data)
        resource = self.resource(_relationship_id(data.get("relationships") or {}, "resource"))
        return self._new_job("resource_strings_async_downloads", resource, options=options)

    def _create_translations_download(self, request):
        data = request.document()
        options = self._download_options(data)
        relationships = data.get("relationships") or {}
        resource = self.resource(_relationship_id(relationships, "resource"))
        code = self._project_language(resource, _relationship_id(relationships, "language"))
        return self._new_job("resource_translations_async_downloads", resource, code, options=options)

    def _get_job(self, request, kind, job_id):
        job = self.jobs.get(job_id)
        if job is None or job.kind != kind:
            raise ApiError(404)
        if job.status in ("pending", "processing"):
            if job.polls_left > 0:
                job.polls_left -= 1
                job.status = "processing"
            else:
                self._finish(job)
            job.date_modified = self._stamp()
        if job.file_token is not None:
            location = f"{self.file_base_url or self.base_url}/files/{job.file_token}"
            return Response(303, b"", {"Location": location})
        return _json_response(200, {"data": self._job_doc(job)})

    def _finish(self, job: Job):
        if job.forced_failure is not None:
            job.status, job.errors = "failed", [{"code": job.forced_failure[0], "detail": job.forced_failure[1]}]
            return
        resource = self.resource(job.resource_id)
        try:
            if job.kind == "resource_strings_async_uploads":
                job.details = self._apply_source(resource, job.content, job.options["keep_translations"])
            elif job.kind == "resource_translations_async_uploads":
                job.details, job.skipped = self._apply_translations(resource, job.language, job.content)
            else:
                mode = job.options["mode"] if job.language is not None else None
                content = self.render(resource, job.language, mode)
                job.file_token = uuid.uuid4().hex
                self.files[job.file_token] = StoredFile(content, job.options["content_encoding"])
        except _JobFailure as failure:
            job.status, job.errors = "failed", [{"code": failure.code, "detail": failure.detail}]
            return
        job.status = "succeeded"

    def _get_file(self, request, token):
        stored = self.files.get(token)
        if stored is None:
            raise ApiError(404)
        content = stored.content
        if self.corruptions:
            content = _corrupt(content, self.corruptions.pop(0))
        if stored.content_encoding == "base64":
            content = base64.b64encode(content)
        return Response(200, content, {"Content-Type": "application/octet-stream"})

    # --- applying uploads

    def _apply_source(self, resource: Resource, content: bytes, keep_translations: bool) -> dict:
        parsed = _parse(content)
        new = {}
        for entry in parsed.active:
            string = _source_string(entry)
            if string.ident in new:
                where = f" (msgctxt {string.context!r})" if string.context else ""
                raise _JobFailure("parse_error", f"Duplicate entry: msgid {string.key!r}{where}")
            new[string.ident] = string
        if not new and not self.accept_empty_source:
            raise _JobFailure("parse_error", "No strings found in the file")
        stamp = self._stamp()
        counts = {"strings_created": 0, "strings_updated": 0, "strings_skipped": 0, "strings_deleted": 0}
        for ident, string in new.items():
            old = resource.strings.get(ident)
            if old is None:
                counts["strings_created"] += 1
                string.datetime_created = string.strings_datetime_modified = stamp
                continue
            string.datetime_created = old.datetime_created
            string.strings_datetime_modified = old.strings_datetime_modified
            if old.strings != string.strings:
                counts["strings_updated"] += 1
                string.strings_datetime_modified = stamp
                if not keep_translations:
                    self._drop_translations(resource, ident)
            elif (old.developer_comment, old.occurrences, old.flags) != \
                    (string.developer_comment, string.occurrences, string.flags):
                counts["strings_updated"] += 1
            else:
                counts["strings_skipped"] += 1
        for ident in resource.strings:
            if ident not in new:
                counts["strings_deleted"] += 1
                self._drop_translations(resource, ident)
        resource.strings = new
        resource.header = parsed.header
        if counts["strings_created"] or counts["strings_updated"] or counts["strings_deleted"]:
            resource.datetime_modified = stamp
        return counts

    def _drop_translations(self, resource: Resource, ident: tuple):
        for translations in resource.translations.values():
            translations.pop(ident, None)

    def _apply_translations(self, resource: Resource, code: str, content: bytes) -> tuple[dict, int]:
        parsed = _parse(content)
        tags = plural_tags(code)
        stamp = self._stamp()
        created = updated = skipped = 0
        translations = resource.translations.setdefault(code, {})
        for entry in parsed.active:
            ident = (entry.msgid, entry.msgctxt or "")
            string = resource.strings.get(ident)
            forms = entry.forms
            if string is None or entry.fuzzy or string.pluralized != entry.is_plural \
                    or len(forms) != (len(tags) if entry.is_plural else 1) or not all(forms):
                skipped += 1
                continue
            strings = dict(zip(tags, forms)) if entry.is_plural else {"other": forms[0]}
            old = translations.get(ident)
            if old is not None and old.translated:
                if old.strings == strings:
                    skipped += 1
                    continue
                updated += 1
            else:
                created += 1
            translations[ident] = Translation(strings, translator=self.user, origin="UPLOAD",
                                              datetime_translated=stamp)
        return {"translations_created": created, "translations_updated": updated}, skipped

    # --- rendering downloads

    def render(self, resource: Resource, language: str | None, mode: str | None = "default") -> bytes:
        """The PO file of ``language`` in ``mode``; the source file when ``language`` is None."""
        project = self.project(resource.project_id)
        code = language or project.source_language
        tags = plural_tags(code)
        translations = resource.translations.get(code, {})
        is_source = code == project.source_language
        entries, translators = [], []
        for string in resource.strings.values():
            if language is None:
                shown, include = None, True
            elif is_source:
                shown, include = _source_translation(string, tags), mode != "untranslated"
            else:
                shown, include = _pick(translations.get(string.ident), mode)
            if not include:
                continue
            if shown is None and mode == "sourceastranslation":
                shown = _source_translation(string, tags)
            if shown is not None and shown.translator:
                translators.append((shown.datetime_translated or "", shown.translator))
            entries.append(_entry(string, tags, shown))
        header = self._header(resource, project, code, max(translators, default=None))
        return po.write(PoFile(f"{resource.slug}.po", header, entries))

    def _header(self, resource: Resource, project: Project, code: str, last) -> Entry:
        template = resource.header
        fields = PoFile("", template).header_fields() if template is not None else {
            "Project-Id-Version": project.name, "MIME-Version": "1.0"}
        revised = (last[0] if last and last[0] else resource.datetime_modified).replace("T", " ")[:16] + "+0000"
        language = self.languages[code]
        fields.update({
            "PO-Revision-Date": revised,
            "Last-Translator": f"{last[1]} <{last[1]}@example.com>" if last else fields.get(
                "Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
            "Language-Team": f"{language['name']} (https://app.transifex.com/"
                             f"{project.organization_id.removeprefix('o:')}/teams/1/{code}/)",
            "Language": code,
            "Plural-Forms": plural_forms(code),
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
        })
        msgstr = "".join(f"{name}: {value}\n" for name, value in fields.items())
        comments = list(template.comments) if template is not None else []
        flags = [flag for flag in (template.flags if template is not None else []) if flag != "fuzzy"]
        return Entry("", msgstr, comments=comments, flags=flags)

    # --- small helpers

    def _language_code(self, language_id: str) -> str:
        code = language_id.removeprefix("l:")
        if not language_id.startswith("l:") or code not in self.languages:
            raise ApiError(404, detail=f"Language {language_id!r} not found")
        return code

    def _project_language(self, resource: Resource, language_id: str | None) -> str:
        if not language_id:
            raise ApiError(400, detail="The `language` relationship is required")
        code = self._language_code(language_id)
        project = self.project(resource.project_id)
        if code != project.source_language and code not in project.languages:
            raise ApiError(400, detail=f"Language {language_id!r} is not a language of {project.id}")
        return code


_ROUTES = [(method, re.compile(pattern), handler) for method, pattern, handler in [
    ("GET", r"/organizations", FakeTransifex._list_organizations),
    ("GET", r"/organizations/(?P<org_id>[^/]+)", FakeTransifex._get_organization),
    ("GET", r"/projects", FakeTransifex._list_projects),
    ("GET", r"/projects/(?P<project_id>[^/]+)", FakeTransifex._get_project),
    ("GET", r"/projects/(?P<project_id>[^/]+)/languages", FakeTransifex._list_project_languages),
    ("GET", r"/languages", FakeTransifex._list_languages),
    ("GET", r"/languages/(?P<language_id>[^/]+)", FakeTransifex._get_language),
    ("GET", r"/resources", FakeTransifex._list_resources),
    ("POST", r"/resources", FakeTransifex._create_resource),
    ("GET", r"/resources/(?P<resource_id>[^/]+)", FakeTransifex._get_resource),
    ("GET", r"/resource_strings", FakeTransifex._list_resource_strings),
    ("GET", r"/resource_strings/(?P<string_id>[^/]+)", FakeTransifex._get_resource_string),
    ("GET", r"/resource_translations", FakeTransifex._list_resource_translations),
    ("GET", r"/resource_language_stats", FakeTransifex._list_stats),
    ("GET", r"/resource_language_stats/(?P<stats_id>[^/]+)", FakeTransifex._get_stats),
    ("POST", r"/resource_strings_async_uploads", FakeTransifex._create_strings_upload),
    ("POST", r"/resource_translations_async_uploads", FakeTransifex._create_translations_upload),
    ("POST", r"/resource_strings_async_downloads", FakeTransifex._create_strings_download),
    ("POST", r"/resource_translations_async_downloads", FakeTransifex._create_translations_download),
    ("GET", r"/(?P<kind>resource_(?:strings|translations)_async_(?:uploads|downloads))/(?P<job_id>[^/]+)",
     FakeTransifex._get_job),
    ("GET", r"/files/(?P<token>[^/]+)", FakeTransifex._get_file),
]]


# --- module helpers ----------------------------------------------------------------------------


class _JobFailure(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


def _required(request: Request, name: str) -> str:
    value = request.query.get(name)
    if not value:
        raise ApiError(400, detail=f"`{name}` is required", title=f"Parameter `{name}` is missing")
    return value


def _relationship_id(relationships: dict, name: str) -> str:
    try:
        return relationships[name]["data"]["id"]
    except (KeyError, TypeError):
        raise ApiError(400, detail=f"The `{name}` relationship is required") from None


def _parse(content: bytes) -> PoFile:
    try:
        return po.parse(content, "<upload>")
    except InputError as exc:
        raise _JobFailure("parse_error", str(exc)) from None


def _words(string: SourceString) -> int:
    return len(" ".join(string.strings.values()).split())


def _source_string(entry: Entry) -> SourceString:
    strings = {"one": entry.msgid, "other": entry.msgid_plural} if entry.is_plural else {"other": entry.msgid}
    comments = [text.strip() for text in entry.comments + entry.auto_comments]
    references = [token for text in entry.locations for token in text.split()]
    return SourceString(entry.msgid, entry.msgctxt or "", strings,
                        developer_comment="\n".join(comments) or None,
                        occurrences=", ".join(references) or None,
                        flags=[flag for flag in entry.flags if flag != "fuzzy"])


def _source_translation(string: SourceString, tags: list) -> Translation:
    if not string.pluralized:
        return Translation({"other": string.strings["other"]}, translator=None)
    return Translation({tag: string.strings.get(tag, string.strings["other"]) for tag in tags}, translator=None)


def _pick(translation: Translation | None, mode: str) -> tuple:
    """(the translation to show or None, whether the entry is in the file) for a download mode."""
    translated = translation is not None and translation.translated
    reviewed = translated and translation.reviewed
    proofread = translated and translation.proofread
    shown, include = {
        "default": (translated, True), "translator": (translated, True),
        "sourceastranslation": (translated, True),
        "reviewed": (reviewed, True), "proofread": (proofread, True),
        "onlytranslated": (translated, translated), "onlyreviewed": (reviewed, reviewed),
        "onlyproofread": (proofread, proofread), "untranslated": (False, not translated),
    }[mode]
    return (translation if shown else None), include


def _entry(string: SourceString, tags: list, shown: Translation | None) -> Entry:
    if string.pluralized:
        msgstr = [shown.strings.get(tag, "") if shown else "" for tag in tags]
    else:
        msgstr = shown.strings.get("other", "") if shown else ""
    comments = [f" {line}" for line in string.developer_comment.split("\n")] if string.developer_comment else []
    locations = po.location_lines(string.occurrences.split(", ")) if string.occurrences else []
    return Entry(string.key, msgstr, msgctxt=string.context or None,
                 msgid_plural=string.strings["other"] if string.pluralized else None,
                 flags=list(string.flags), auto_comments=comments, locations=locations)


def _corrupt(content: bytes, kind: str) -> bytes:
    if kind == "garbage":
        return GARBAGE
    if kind == "truncated":
        at = content.rfind(b'\nmsgid "')
        return content[:at + len(b'\nmsgid "')] if at > 0 else content[:len(content) // 2]
    return _break_placeholder(content)


def _break_placeholder(content: bytes) -> bytes:
    """One translation's ``%(name)s`` becomes ``%(nmae)s`` (or gains one, when none has any)."""
    parsed = po.parse(content, "<download>")
    translated = [entry for entry in parsed.entries if any(entry.forms)]
    for entry in translated:
        for index, form in enumerate(entry.forms):
            match = re.search(r"%\((\w+)\)", form)
            if match:
                name = match.group(1)
                wrong = name[0] + name[2] + name[1] + name[3:] if len(name) > 2 and name[1] != name[2] else name + "x"
                _set_form(entry, index, form[:match.start(1)] + wrong + form[match.end(1):])
                return po.write(parsed)
    if translated:
        entry = translated[0]
        _set_form(entry, 0, entry.forms[0] + " %(nmae)s")
        return po.write(parsed)
    return content


def _set_form(entry: Entry, index: int, text: str):
    if isinstance(entry.msgstr, list):
        entry.msgstr[index] = text
    else:
        entry.msgstr = text
