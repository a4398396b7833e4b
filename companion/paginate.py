"""Page numbers from the query string, and the page a listing shows."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound

T = TypeVar("T")

MAX_PAGE = 10**6  # past any listing's end, and well inside what a database takes as an OFFSET


def page_number(request) -> int:
    """``?page=`` as a number from 1; 400 if it is not one."""
    raw = request.params.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise HTTPBadRequest() from None
    if number < 1:
        raise HTTPBadRequest()
    if number > MAX_PAGE:
        raise HTTPNotFound()
    return number


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.page_count else None

    @property
    def first_item(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_item(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


def paginate(fetch: Callable[[int, int], tuple[int, Sequence[T]]], number: int, per_page: int) -> Page[T]:
    """The page ``number`` of what ``fetch(offset, limit) -> (total, items)`` returns; 404 past the end."""
    total, items = fetch((number - 1) * per_page, per_page)
    page = Page(items=items, number=number, per_page=per_page, total=total)
    if number > page.page_count:
        raise HTTPNotFound()
    return page
