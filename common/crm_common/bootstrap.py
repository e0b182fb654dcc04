"""The first thing every process does, before psycopg or sockets are imported anywhere."""
import os


def prepare_process() -> None:
    # psycopg's C wait function blocks the eventlet hub (8 overlapping pg_sleep(0.5) took 4.1 s);
    # the select-based one yields to other green threads.
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
    import eventlet

    eventlet.monkey_patch()
