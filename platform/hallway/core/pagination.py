"""One page of a longer list: which items, how many in all, and where to go next.

Generic on purpose: any feature hands in a ``select()`` and gets a ``Page`` back; the
``templates/_pagination.html`` macro draws the links.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
#: The last page number any list shows: the row offset stays far inside 64 bits.
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link, with None where a gap ("…") goes: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def page_number(value: str) -> int:
    """``request.args.get("page", 1, type=page_number)``: a page link's number.

    Anything else (words, 0, 2**64, 5,000 digits) raises ValueError, which makes
    ``get`` fall back to its default: a page list answers with its first page.
    """
    number = int(value)
    if not 1 <= number <= MAX_PAGE:
        raise ValueError(f"Page numbers go from 1 to {MAX_PAGE}.")
    return number


def clamp(page: int | None, per_page: int | None) -> tuple[int, int]:
    """Page numbers go from 1 to MAX_PAGE; per_page stays between 1 and MAX_PER_PAGE."""
    page = min(max(1, page or 1), MAX_PAGE)
    per_page = min(max(1, per_page or DEFAULT_PER_PAGE), MAX_PER_PAGE)
    return page, per_page


def paginate(
    session: Session,
    statement: Select[Any],
    *,
    page: int | None = 1,
    per_page: int | None = DEFAULT_PER_PAGE,
    scalars: bool = True,
) -> Page[Any]:
    """Run ``statement`` for one page (two queries: the count and the rows).

    ``scalars=False`` keeps whole rows, for statements selecting several columns.
    """
    page, per_page = clamp(page, per_page)
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    limited = statement.limit(per_page).offset((page - 1) * per_page)
    result = session.scalars(limited) if scalars else session.execute(limited)
    return Page(
        items=list(result.unique() if scalars else result),
        page=page,
        per_page=per_page,
        total=total or 0,
    )


def page_of(items: Sequence[T], *, page: int, per_page: int, total: int) -> Page[T]:
    """A Page from items fetched some other way (e.g. raw SQL), for the same template."""
    page, per_page = clamp(page, per_page)
    return Page(items=list(items), page=page, per_page=per_page, total=total)
