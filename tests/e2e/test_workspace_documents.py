"""Document centre over HTTP (WSP-06): streamed upload and download, size and type checks on the
real bytes, safe names, and sharing that no route can get around."""
import hashlib
import http.client
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.7\n" + "合同正文 contract body\n".encode() * 2000 + b"%%EOF\n"
STORAGE = Path(__file__).resolve().parents[2] / ".local" / "storage"


def _stored_files() -> int:
    return sum(1 for p in STORAGE.rglob("*") if p.is_file()) if STORAGE.exists() else 0


def _upload(api, body, name, content_type="application/pdf", **params):
    return api.post("/documents", params={"name": name, **params}, data=body,
                    headers={"Content-Type": content_type})


def test_upload_then_download_gives_the_same_bytes(desk):
    a = desk["api"]["desk_a"]
    created = _upload(a, PDF, "报价单 2026.pdf", title="Quotation")
    assert created.status_code == 201, created.text
    document = created.json()
    assert document["name"] == "报价单 2026.pdf" and document["content_type"] == "application/pdf"
    assert document["size"] == len(PDF) and document["sha256"] == hashlib.sha256(PDF).hexdigest()
    content = a.get(f"/documents/{document['id']}/content")
    assert content.status_code == 200
    assert content.content == PDF
    assert content.headers["Content-Type"] == "application/pdf"
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in content.headers["Content-Disposition"]
    assert document["id"] in {d["id"] for d in a.get("/documents").json()["items"]}


def test_chunked_upload_without_length_is_streamed(desk):
    a = desk["api"]["desk_a"]
    body = iter([PDF[:5000], PDF[5000:]])  # requests sends a generator with chunked encoding
    created = _upload(a, body, "chunked.pdf")
    assert created.status_code == 201, created.text
    assert a.get(f"/documents/{created.json()['id']}/content").content == PDF


@pytest.mark.parametrize("name, body, content_type", [
    ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),  # a program renamed .pdf
    ("photo.png", PDF, "image/png"),  # a PDF claiming to be a picture
    ("report.pdf", PDF, "image/png"),  # right bytes and extension, lying declared type
    ("run.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream"),  # type not accepted
    ("notes.txt", b"\x00\x01\x02\xff\xfe binary", "text/plain"),  # binary pretending to be text
])
def test_disguised_files_are_refused_and_nothing_is_stored(desk, helpers, name, body, content_type):
    before, files = helpers.table_counts(), _stored_files()
    response = _upload(desk["api"]["desk_a"], body, name, content_type)
    assert response.status_code == 415, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert helpers.table_counts() == before and _stored_files() == files


def test_oversized_upload_is_refused_and_nothing_is_stored(desk, helpers, stack):
    before, files = helpers.table_counts(), _stored_files()
    too_big = 20 * 1024 * 1024 + 1
    # declared length over the limit: refused before a byte of the body is read (none is sent)
    api = desk["api"]["desk_a"]
    conn = http.client.HTTPConnection("127.0.0.1", stack.gateway_port, timeout=30)
    conn.putrequest("POST", "/api/v1/documents?name=big.pdf")
    for header, value in (("Authorization", api.http.headers["Authorization"]),
                          ("Content-Type", "application/pdf"), ("Content-Length", str(too_big))):
        conn.putheader(header, value)
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413, response.read()
    conn.close()

    # no declared length (chunked): counted while streaming, refused once past the limit
    def chunks():
        yield PDF[:1024]
        for _ in range(21):
            yield b"\x00" * (1024 * 1024)
    response = _upload(desk["api"]["desk_a"], chunks(), "big.pdf")
    assert response.status_code == 413, response.text
    assert helpers.table_counts() == before and _stored_files() == files


@pytest.mark.parametrize("name, stored", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
    ("a<b>:c|d?.txt", "a_b__c_d_.txt"),
])
def test_path_tricks_in_names_are_cut_to_a_plain_name(desk, name, stored):
    response = _upload(desk["api"]["desk_a"], b"plain text\n", name, "text/plain")
    assert response.status_code == 201, response.text
    assert response.json()["name"] == stored


@pytest.mark.parametrize("name", ["../", "..", "/", "....", ""])
def test_names_with_nothing_left_are_refused(desk, helpers, name):
    before = helpers.table_counts()
    response = _upload(desk["api"]["desk_a"], b"plain text\n", name, "text/plain")
    assert response.status_code == 422, response.text
    assert helpers.table_counts() == before


def test_document_shared_with_a_department_is_not_readable_outside_it(desk, org):
    a, a2, b = desk["api"]["desk_a"], desk["api"]["desk_a2"], desk["api"]["desk_b"]
    document = _upload(a, PDF, "east-only.pdf").json()
    url = f"/documents/{document['id']}"
    # before sharing: only the owner's scope
    assert a2.get(url).status_code == 404
    east = org["departments"]["Sales East"]["path"]
    shared = a.post(f"{url}/shares", json={"department_paths": [east]})
    assert shared.status_code == 200, shared.text
    assert a2.get(url).status_code == 200
    assert a2.get(f"{url}/content").content == PDF
    assert document["id"] in {d["id"] for d in a2.get("/documents").json()["items"]}
    # outside the department, by every route
    assert b.get(url).status_code == 404
    assert b.get(f"{url}/content").status_code == 404
    assert document["id"] not in {d["id"] for d in b.get("/documents").json()["items"]}
    assert b.post(f"{url}/shares", json={"user_ids": [desk["users"]["desk_b"]["id"]]}).status_code == 404
    assert b.delete(url).status_code == 404
    # someone it was shared with cannot share it further
    assert a2.post(f"{url}/shares", json={"user_ids": [desk["users"]["desk_b"]["id"]]}).status_code == 404
    assert b.get(url).status_code == 404


def test_document_shared_with_a_user_and_deleted_by_its_owner(desk):
    a, b = desk["api"]["desk_a"], desk["api"]["desk_b"]
    document = _upload(a, b"name,amount\n\xe5\xbc\xa0\xe4\xb8\x89,10\n", "list.csv", "text/csv").json()
    url = f"/documents/{document['id']}"
    assert a.post(f"{url}/shares", json={"user_ids": [desk["users"]["desk_b"]["id"]]}).status_code == 200
    assert b.get(f"{url}/content").status_code == 200
    files = _stored_files()
    assert a.delete(url).status_code == 204
    assert b.get(url).status_code == 404 and a.get(f"{url}/content").status_code == 404
    assert _stored_files() == files - 1


def test_share_targets_are_validated(desk):
    a = desk["api"]["desk_a"]
    document = _upload(a, PDF, "x.pdf").json()
    response = a.post(f"/documents/{document['id']}/shares", json={"department_paths": ["east"]})
    assert response.status_code == 422
    response = a.post(f"/documents/{document['id']}/shares", json={"user_ids": ["not-a-uuid"]})
    assert response.status_code == 422


def test_refused_registration_removes_the_stored_bytes(desk, helpers, admin):
    a = desk["api"]["desk_a"]
    before, files = helpers.table_counts(), _stored_files()
    unknown = _upload(a, PDF, "x.pdf", category_id="00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == 422 and "category_id" in unknown.json()["errors"]
    assert _upload(a, PDF, "x.pdf", owner_id=desk["users"]["desk_b"]["id"]).status_code == 422
    assert helpers.table_counts() == before and _stored_files() == files
    category = admin.post("/categories", json={"kind": "document", "name": "合同模板"}).json()
    filed = _upload(a, PDF, "模板.pdf", category_id=category["id"])
    assert filed.status_code == 201 and filed.json()["category_id"] == category["id"]
    listed = a.get("/documents", params={"category_id": category["id"], "q": "模板"}).json()["items"]
    assert [d["id"] for d in listed] == [filed.json()["id"]]


def test_documents_need_their_permissions(rep_a):
    assert rep_a.get("/documents").status_code == 403
    assert _upload(rep_a, PDF, "x.pdf").status_code == 403
