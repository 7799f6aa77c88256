"""A local HubSpot CRM v3 fake: a real HTTP server on 127.0.0.1 (stdlib, in a thread).

Serves contacts, companies and owners the way HubSpot does (api_facts §6): lists page with `after`
(`paging.next.after`), `GET /crm/v3/objects/contacts/{email}?idProperty=email` reads by email,
`associations=companies` adds `{"companies": {"results": [{"id", "type"}]}}`, unknown ids and routes are
404 with HubSpot's error body, a wrong token is 401. `fail_next` queues answers (e.g. `rate_limited()`,
HubSpot's 429 body and headers) for the next requests.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "pat-na1-fake-token"


@dataclass
class Canned:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def rate_limited(policy: str = "TEN_SECONDLY_ROLLING", interval_ms: int = 10_000, remaining: int = 0) -> Canned:
    return Canned(
        429,
        {
            "status": "error",
            "message": f"You have reached your {policy.lower()} limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": str(uuid.uuid4()),
            "policyName": policy,
            "requestId": str(uuid.uuid4()),
        },
        {
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(interval_ms),
            "X-HubSpot-RateLimit-Max": "100",
            "X-HubSpot-RateLimit-Remaining": str(remaining),
        },
    )


def _not_found(message: str = "resource not found") -> Canned:
    return Canned(
        404, {"status": "error", "message": message, "correlationId": str(uuid.uuid4()), "category": "OBJECT_NOT_FOUND"}
    )


@dataclass
class HubSpotState:
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    owners: dict[str, dict[str, Any]] = field(default_factory=dict)
    contact_companies: dict[str, list[str]] = field(default_factory=dict)
    fail_next: deque[Canned] = field(default_factory=deque)
    requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)  # (path, query)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_company(self, company_id: str, name: str, updated: str = "2026-01-02T03:04:05.678Z") -> None:
        self.companies[company_id] = {
            "id": company_id,
            "properties": {"name": name, "domain": f"{name.lower()}.example", "hs_object_id": company_id},
            "createdAt": "2025-01-01T00:00:00Z",
            "updatedAt": updated,
            "archived": False,
        }

    def add_contact(
        self, contact_id: str, email: str, owner_id: str | None = None, companies: list[str] | None = None, **props: str
    ) -> None:
        properties = {"email": email, "hs_object_id": contact_id, "hubspot_owner_id": owner_id, **props}
        self.contacts[contact_id] = {
            "id": contact_id,
            "properties": properties,
            "createdAt": "2025-01-01T00:00:00Z",
            "updatedAt": "2026-02-03T04:05:06.789Z",
            "archived": False,
        }
        self.contact_companies[contact_id] = list(companies or [])

    def add_owner(self, owner_id: str, email: str, first: str, last: str) -> None:
        self.owners[owner_id] = {
            "id": owner_id,
            "email": email,
            "type": "PERSON",
            "firstName": first,
            "lastName": last,
            "userId": int(owner_id) + 1000,
            "createdAt": "2024-01-01T00:00:00Z",
            "updatedAt": "2026-03-04T05:06:07.890Z",
            "archived": False,
            "teams": [],
        }


class FakeHubSpot:
    def __init__(self) -> None:
        self.state = HubSpotState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:  # keep the test output quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                with state.lock:
                    state.requests.append((parts.path, query))
                    canned = state.fail_next.popleft() if state.fail_next else None
                    if canned is None:
                        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                            canned = Canned(401, {"status": "error", "message": "Authentication credentials not found"})
                        else:
                            canned = _route(state, parts.path, query)
                payload = json.dumps(canned.body).encode()
                self.send_response(canned.status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in canned.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeHubSpot:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def _with_associations(state: HubSpotState, contact: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
    wanted = ",".join(query.get("associations", [])).split(",")
    result = dict(contact)
    if "companies" in wanted and state.contact_companies.get(contact["id"]):
        # HubSpot lists one entry per association type, so a primary company appears twice.
        results = []
        for company in state.contact_companies[contact["id"]]:
            results.append({"id": company, "type": "contact_to_company"})
            results.append({"id": company, "type": "contact_to_company_unlabeled"})
        result["associations"] = {"companies": {"results": results}}
    return result


def _page(items: list[dict[str, Any]], query: dict[str, list[str]]) -> Canned:
    limit = min(int(query.get("limit", ["10"])[0]), 100)
    start = int(query.get("after", ["0"])[0])
    chunk = items[start : start + limit]
    body: dict[str, Any] = {"results": chunk}
    if start + limit < len(items):
        body["paging"] = {"next": {"after": str(start + limit), "link": "?after=" + str(start + limit)}}
    return Canned(200, body)


def _route(state: HubSpotState, path: str, query: dict[str, list[str]]) -> Canned:
    segments = [unquote(segment) for segment in path.strip("/").split("/")]
    if segments[:3] == ["crm", "v3", "objects"] and len(segments) in (4, 5):
        kind = segments[3]
        store = {"contacts": state.contacts, "companies": state.companies}.get(kind)
        if store is None:
            return _not_found("unknown object type")
        if len(segments) == 4:
            items = [_with_associations(state, item, query) if kind == "contacts" else item for item in store.values()]
            return _page(items, query)
        ident = segments[4]
        if kind == "contacts" and query.get("idProperty") == ["email"]:
            # HubSpot keeps emails lower-cased, so this read ignores case.
            found = next((c for c in store.values() if c["properties"]["email"].lower() == ident.lower()), None)
        else:
            found = store.get(ident)
        if found is None:
            return _not_found()
        return Canned(200, _with_associations(state, found, query) if kind == "contacts" else found)
    if segments[:3] == ["crm", "v3", "owners"]:
        if len(segments) == 3:
            return _page(list(state.owners.values()), query)
        owner = state.owners.get(segments[3])
        return Canned(200, owner) if owner else _not_found()
    return _not_found("unknown route")
