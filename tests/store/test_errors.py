"""What the store raises is the domain's: no SQLAlchemy exception leaves reviewer_app.store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError, InvalidRequestError, ProgrammingError

from reviewer_app.domain import DatabaseError, StoreError
from reviewer_app.store import Store
from reviewer_app.store.errors import IntegrityViolation, translate_errors


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: apps.package")), IntegrityViolation),
        (ProgrammingError("SELECT", {}, Exception("syntax error at or near FROM")), DatabaseError),
        (InvalidRequestError("This session is in 'inactive' state"), DatabaseError),
    ],
)
def test_database_errors_become_domain_errors_with_the_first_line(raised, expected):
    with pytest.raises(expected) as caught, translate_errors():
        raise raised
    assert isinstance(caught.value, StoreError)
    assert not isinstance(caught.value, type(raised))
    assert str(caught.value).startswith("database error: ")


def test_a_row_the_schema_refuses_is_a_store_error(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "blobs", reviewer="alice")
    try:
        now = datetime.now(UTC)
        with pytest.raises(StoreError) as caught:  # tier must be 1 to 5 (CHECK constraint)
            store.add_submission(kind="new", developer="Acme", tier=9, submitted_at=now,
                                 deadline=now + timedelta(hours=1), package="com.example")  # fmt: skip
        assert "CHECK constraint failed" in str(caught.value)
        assert store.queue_ids() == []  # nothing half-written
    finally:
        store.close()


@pytest.mark.parametrize("url", ["not a url", "oracle://scott@db/orcl", "postgresql+nosuchdriver://alice@db/review"])
def test_a_database_url_that_cannot_be_used_is_one_domain_error(tmp_path, url):
    from reviewer_app.domain import DatabaseUrlError

    with pytest.raises(DatabaseUrlError) as caught:
        Store(url, tmp_path / "blobs", reviewer="alice")
    assert "\n" not in str(caught.value)
