"""A customer import's life cycle and the reading of its CSV (CUS-12). Pure."""
import csv
import io

from crm_common.statemachine import StateMachine

# What a client may do with its job. The service then takes it (queued → running) with SKIP
# LOCKED in one statement and ends it done or failed (use_cases.process_next).
IMPORT_JOB = StateMachine("CSV import", {
    "upload": (("uploading",), "uploading"),  # one more chunk
    "start": (("uploading",), "queued"),
})


def read_chunk(body: str, first_row: int):
    """Yield (row number, dict of non-empty cells) for each data line of one CSV chunk."""
    reader = csv.DictReader(io.StringIO(body))
    for offset, raw in enumerate(reader):
        number = first_row + offset
        if None in raw:  # more cells than headers
            yield number, {"__extra__": raw.pop(None)}
            continue
        yield number, {k.strip(): v.strip() for k, v in raw.items() if k and v is not None and v.strip() != ""}
