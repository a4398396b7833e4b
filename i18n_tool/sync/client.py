"""Transifex API v3 through the official SDK (``transifex.api``), with timeouts and retries.

:class:`Client` is the SDK's ``TransifexApi`` with one change: every request has a timeout, and a
429 (waiting as ``Retry-After`` says), a 5xx, a dropped connection or a timeout is retried with
exponential backoff. What still fails is a :class:`SyncError`: one line, saying what to do, and
never the token.
"""

from __future__ import annotations

import time

import requests
from transifex.api import TransifexApi
from transifex.api.exceptions import DownloadException, UploadException
from transifex.api.jsonapi.exceptions import JsonApiException

from i18n_tool.errors import InputError

DEFAULT_HOST = "https://rest.api.transifex.com"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # seconds: a longer Retry-After is an outage, reported instead


class SyncError(InputError):
    """A failure talking to Transifex, in one line (exit 2); ``status`` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def _status(error) -> int | None:
    if isinstance(error, JsonApiException):
        return error.status_code
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None)


def _retry_after(error) -> float | None:
    response = getattr(error, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return min(float(value), MAX_RETRY_AFTER) if value is not None else None
    except ValueError:
        return None


def _describe(error, method: str, url: str) -> str:
    path = url.split("//", 1)[-1].partition("/")[2].split("?")[0]
    status = _status(error)
    if isinstance(error, JsonApiException) and error.errors:
        detail = error.errors[0].get("detail") or error.errors[0].get("title") or ""
        return f"Transifex answered {status} on {method.upper()} /{path}: {detail}"
    if status is not None:
        return f"Transifex answered {status} on {method.upper()} /{path}"
    return f"no answer from Transifex on {method.upper()} /{path}: {type(error).__name__}"


_HINTS = {401: "check the token: TX_TOKEN or ~/.transifexrc", 403: "the token may not access this project",
          404: "check the organization, project and resource in .tx/config"}


class Client(TransifexApi):
    """The SDK's API object, with timeouts and retries on every request."""

    def __init__(self, host: str = DEFAULT_HOST, token=None, *, timeout: float = 30.0, retries: int = 5,
                 backoff: float = 0.5, sleep=time.sleep):
        super().__init__(host=host.rstrip("/"), auth=lambda: {"Authorization": f"Bearer {token.reveal()}"})
        self.timeout, self.retries, self.backoff, self.sleep = timeout, retries, backoff, sleep

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return self._with_retries(method, url, lambda: super(Client, self).request(method, url, **kwargs))

    # --- the async jobs push and pull use: SDK job errors (and its typo) become a SyncError ---

    def upload_source(self, resource_id: str, content: bytes, interval: float) -> dict:
        """Replace the resource's strings with ``content``: what Transifex says it did."""
        return self._job("source upload", lambda: self.ResourceStringsAsyncUpload.upload(
            content, interval=interval, resource=resource_id)) or {}

    def upload_translations(self, resource_id: str, language: str, content: bytes, interval: float) -> dict:
        return self._job(f"{language} upload", lambda: self.ResourceTranslationsAsyncUpload.upload(
            content, interval=interval, resource=resource_id, language=f"l:{language}")) or {}

    def translations(self, resource_id: str, language: str, mode: str, interval: float) -> bytes:
        """The translation file of ``language`` in ``mode``: an async download, polled, then fetched."""
        url = self._job(f"{language} download", lambda: self.ResourceTranslationsAsyncDownload.download(
            interval=interval, resource=self.Resource(id=resource_id), language=self.Language(id=f"l:{language}"),
            mode=mode, content_encoding="text", file_type="default"))
        return self.download(url)

    @staticmethod
    def _job(what: str, run):
        try:
            return run()
        except (UploadException, DownloadException) as error:
            raise SyncError(f"Transifex could not do the {what}: {error.args[0] if error.args else error}") from None
        except AttributeError:  # transifex-python 3.7 reads download.error (sic) when a download job fails
            raise SyncError(f"Transifex could not do the {what}: the job failed") from None

    def download(self, url: str) -> bytes:
        """The file a finished async download redirected to."""
        def get():
            response = requests.get(url, timeout=self.timeout)
            response.raise_for_status()
            return response.content

        return self._with_retries("get", url, get)

    def _with_retries(self, method, url, call):
        for attempt in range(self.retries + 1):
            try:
                return call()
            except (JsonApiException, requests.RequestException) as error:
                status = _status(error)
                transient = status in RETRY_STATUSES or (
                    status is None and isinstance(error, (requests.ConnectionError, requests.Timeout)))
                if not transient or attempt == self.retries:
                    hint = _HINTS.get(status, "try again later" if transient else None)
                    message = _describe(error, method, url)
                    raise SyncError(f"{message} ({hint})" if hint else message, status) from None
                wait = _retry_after(error) if status == 429 else None
                self.sleep(wait if wait is not None else self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")
