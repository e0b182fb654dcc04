"""psycopg's conversion of long statements is kept (crm_common.database.make_engine)."""
import psycopg

from crm_common.database import make_engine


def test_a_long_statement_is_converted_once(monkeypatch):
    """psycopg keeps long statements' conversion too (make_engine): an 8 KB statement is not
    parsed again on its next execution."""
    from psycopg import _queries
    monkeypatch.setattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", 4096)
    monkeypatch.setenv("PSYCOPG_WAIT_FUNC", "wait_select")
    make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres").dispose()
    columns = ", ".join(f"%(v)s::text AS c{i}" for i in range(400))
    sql = f"SELECT {columns}"
    assert len(sql) > 8000
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as conn:
        conn.execute(sql, {"v": "x"})
        hits = _queries._query2pg.cache_info().hits
        assert conn.execute(sql, {"v": "y"}).fetchone()[399] == "y"
        assert _queries._query2pg.cache_info().hits == hits + 1
