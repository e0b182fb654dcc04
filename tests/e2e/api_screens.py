"""What the two files of issue 14 ("an API that fits its screens") share: a record out of the
caller's scope answers exactly as a missing one."""
MISSING = "00000000-0000-4000-8000-000000000000"


def hidden_like_missing(api, method, path_of, record_id, body=None):
    hidden = api.request(method, path_of(record_id), json=body)
    absent = api.request(method, path_of(MISSING), json=body)
    assert hidden.status_code == absent.status_code == 404, (hidden.text, absent.text)
    assert hidden.json()["detail"] == absent.json()["detail"]
