"""Alembic wiring shared by all services: each service's env.py is one call to `run_migrations`."""
from alembic import command, context
from alembic.config import Config
from sqlalchemy import create_engine, pool


def alembic_config(script_location: str, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(script_location: str, url: str) -> None:
    command.upgrade(alembic_config(script_location, url), "head")


def run_migrations(metadata) -> None:
    """Body of env.py: online migrations only (every environment has a reachable database)."""
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
