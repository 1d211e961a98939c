"""pr/signoff: what names the organisation's governance, and who may approve a change to it.

The git side (authors, signatures, approval commits) is tested through `check
--verify-signoff` in test_check.py, on real repositories."""

from __future__ import annotations

from pathlib import Path

from diffuse.files.loading import document_from_text, validate
from diffuse.models import Organisation
from diffuse.pr import signoff


def _org(tracker: Path, old: str = "", new: str = "") -> Organisation:
    text = (tracker / "organisation.yaml").read_text()
    assert old in text
    org = validate(
        document_from_text(Path("organisation.yaml"), text.replace(old, new)), Organisation
    )
    assert org is not None
    return org


def test_the_fingerprint_follows_governance_and_nothing_else(tracker: Path) -> None:
    base = signoff.fingerprint(_org(tracker))
    assert signoff.fingerprint(_org(tracker, "[ada, ben]", "[ben, ada]")) == base
    assert signoff.fingerprint(_org(tracker, "name: Seaside Hospital", "name: Bay")) == base
    assert signoff.fingerprint(_org(tracker, "[ada, ben]", "[ada, ben, cy]")) != base
    assert signoff.fingerprint(_org(tracker, "name: Ben Member", "name: Ben M.")) == base
    assert signoff.fingerprint(_org(tracker, "ben@example.org", "ben@elsewhere")) != base
    assert (
        signoff.fingerprint(
            _org(tracker, "target_months: 6", "target_months: 6\n  signed_approvals: true")
        )
        != base
    )


def test_an_approval_message_names_the_fingerprint_and_the_approver(tracker: Path) -> None:
    org = _org(tracker)
    message = signoff.approval_message(org, "ada", "Adds the quality council")
    assert message.splitlines() == [
        "Approve the approving bodies and workflow in organisation.yaml",
        "",
        "Adds the quality council",
        "",
        f"Diffuse-Approval: organisation {signoff.fingerprint(org)}",
        "Approved-by: ada",
    ]


COUNCIL = """
  - id: nursing
    name: Nursing Council
    kind: specialty-council
    members: [cy]
"""


def test_a_body_is_changed_by_its_members_and_anything_new_by_the_committee(
    tracker: Path,
) -> None:
    org = _org(tracker, "members: [ada, ben]\n", "members: [ada, ben]\n" + COUNCIL.lstrip("\n"))
    assert signoff.eligible(org, "body:nursing") == {"cy"}
    assert signoff.eligible(org, "body:cpc") == {"ada", "ben"}
    assert signoff.eligible(org, "body:new-council") == {"ada", "ben"}
    assert signoff.eligible(org, "workflow") == {"ada", "ben"}
    assert set(signoff.governance_parts(org)) == {
        "body:cpc",
        "body:nursing",
        "workflow",
        "signed_approvals",
        "person:ada",
        "person:ben",
        "person:cy",
    }


def test_a_members_identity_is_governance_approved_by_the_other_members(tracker: Path) -> None:
    base = _org(tracker)
    assert signoff.eligible(base, "person:ben") == {"ada"}
    assert signoff.eligible(base, "person:ada") == {"ben"}
    moved = _org(tracker, "email: ben@example.org", "email: ben@elsewhere.example")
    assert signoff.changed_parts(base, moved) == ["person:ben"]
    # Names and titles are shown, not trusted; a non-member's email decides nothing.
    assert signoff.changed_parts(base, _org(tracker, "name: Ben Member", "name: Ben M.")) == []
    assert signoff.changed_parts(base, _org(tracker, "cy@example.org", "cy@elsewhere")) == []
    # A member who sits alone on a body is approved by the committee, never by themself.
    alone = _org(tracker, "members: [ada, ben]\n", "members: [ada, ben]\n" + COUNCIL.lstrip("\n"))
    assert signoff.eligible(alone, "person:cy") == {"ada", "ben"}
