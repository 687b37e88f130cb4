"""A short walk through caredesk's API with a client generated from its OpenAPI document.

    pip install openapi-python-client
    curl -s http://127.0.0.1:8080/api/openapi.json -o openapi.json
    openapi-python-client generate --path openapi.json --output-path caredesk-client
    PYTHONPATH=caredesk-client python3 docs/examples/python_client_smoke.py http://127.0.0.1:8080

Run against `caredesk demo` (its logins share the password below): a Community agent signs in
and escalates an item, a Care agent takes the case and changes its status, and a change sent
with a stale version is refused, read as the typed error model.
"""

import sys
import time

from caredesk_api_client import AuthenticatedClient, Client
from caredesk_api_client.api.auth import get_me, login
from caredesk_api_client.api.cases import assign_case, get_case, list_cases, set_case_status
from caredesk_api_client.api.community import escalate_item, list_items
from caredesk_api_client.models import (
    AssignBody,
    CaseBody,
    ErrorBody,
    EscalateBody,
    EscalatedCase,
    EscalatedCaseRef,
    LoginAnswer,
    LoginBody,
    StatusBody,
)

DEMO_PASSWORD = "care-demo-2026"


def sign_in(base_url: str, email: str) -> AuthenticatedClient:
    answer = login.sync(client=Client(base_url=base_url), body=LoginBody(email=email, password=DEMO_PASSWORD))
    if not isinstance(answer, LoginAnswer):
        sys.exit(f"{email} cannot sign in: {answer}")
    return AuthenticatedClient(base_url=base_url, token=answer.token)


def an_open_item(community: AuthenticatedClient):
    """An item not held by a case yet; the demo's customers write every few seconds."""
    for _ in range(60):
        page = list_items.sync(client=community)
        free = [item for item in page.items if not item.locked]
        if free:
            return free[0]
        time.sleep(1)
    sys.exit("no Community item to escalate after a minute")


def main(base_url: str) -> None:
    community = sign_in(base_url, "community@demo.caredesk")
    item = an_open_item(community)
    escalated = escalate_item.sync_detailed(
        id=item.id, client=community, body=EscalateBody(note="Escalated by the client smoke test.")
    )
    if escalated.status_code not in (200, 201):
        sys.exit(f"escalation answered {escalated.status_code}: {escalated.parsed}")
    answer = escalated.parsed
    if not isinstance(answer, (EscalatedCase, EscalatedCaseRef)):
        sys.exit(f"the escalation answer is not an EscalationAnswer: {answer}")
    case_id = answer.id
    print(f"escalated item {item.id} to case {case_id} ({escalated.status_code}, appended: {answer.appended})")

    alice = sign_in(base_url, "alice@demo.caredesk")
    me = get_me.sync(client=alice)
    cases = list_cases.sync(client=alice, view="inbox")
    print(f"alice ({me.id}) sees {len(cases.items)} cases in her inbox")

    case = assign_case.sync(case_id, client=alice, body=AssignBody(assignee_id=me.id))
    if not isinstance(case, CaseBody):
        sys.exit(f"alice cannot take case {case_id}: {case}")
    before = case.version
    changed = set_case_status.sync(case_id, client=alice, body=StatusBody(status="pending", expected_version=before))
    if not isinstance(changed, CaseBody) or changed.status != "pending":
        sys.exit(f"the status change was not made: {changed}")
    print(f"case {case_id}: {case.status} -> {changed.status} (version {changed.version})")

    stale = set_case_status.sync_detailed(
        case_id, client=alice, body=StatusBody(status="open", expected_version=before)
    )
    refusal = stale.parsed
    if stale.status_code != 409 or not isinstance(refusal, ErrorBody):
        sys.exit(f"a stale change was not refused as a conflict: {stale.status_code} {refusal}")
    print(f"a stale change is refused: {stale.status_code} {refusal.error.code}: {refusal.error.message}")
    still = get_case.sync(case_id, client=alice)
    if still.status != "pending":
        sys.exit(f"the refused change changed the case: {still.status}")
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080")
