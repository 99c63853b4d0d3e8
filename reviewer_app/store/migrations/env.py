"""Alembic environment: the caller hands over an open connection (see store.migrate)."""

from alembic import context

from reviewer_app.store.schema import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise SystemExit("migrations run through `reviewer-app db upgrade`, which hands them a connection")
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `reviewer-app db upgrade`")
run_migrations_online()
