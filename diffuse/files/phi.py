"""The patient-data guard: text that looks like a patient identifier is an error.

Tracker files are shared in git, read in pull requests and copied into reports; none of that
is a place for a medical record number, a date of birth, a national health number, a
patient's name, phone number, address or e-mail, or their insurance or encounter numbers.

A few quick searches over a file's text find the lines that may hold one (almost always
none) and the kinds each may hold; only those lines are matched, with those kinds'
expressions alone. A full date is half of a name and its date ("Smith, John 02/03/1954"),
but a tracker holds thousands of dates and almost no names: the lines around dates are read
only when they also hold a name's part or a trigger of another kind, and only the lines near
those are looked at for dates. Only a match is checked further: NHS numbers by their check
digit, SSNs by their number ranges, a name by its words, and a number, address or e-mail by
the words around it (whose it is: a patient's or a family's, or a ward's, a supplier's, a
practice's). Staff named in the organisation file are not patients. What is found is shown
masked, never in full.

A documented false positive is kept by ending its line with
`# diffuse: not-patient-data (the reason)`; the reason is required.
"""

from __future__ import annotations

import functools
import hashlib
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from diffuse.errors import Location, Problem
from diffuse.files.loading import Document, document_from_text
from diffuse.files.nodes import shown
from diffuse.layout import ORGANISATION_FILE
from diffuse.limits import CEILINGS


def _later(expression: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """An expression compiled when first used: most files never reach the words it reads."""

    @functools.cache
    def compiled() -> re.Pattern[str]:
        return re.compile(expression, flags)

    return compiled


CODE = "patient-data"
MAX_REPORTED = 50
MARK = "# diffuse: not-patient-data (reason)"

# Every gap is bounded ({1,3}, or one line break and an indent of up to 40) so no input makes
# the expression backtrack for long. A line break is allowed where a folded block (`>`) may
# have wrapped a value onto the next line: "MRN" at the end of one line, the number on the next.
_BREAK = r"(?:\r?\n[ \t]{0,40})?"
_GAP = r"(?:[ \t]{1,3}|[ \t]{0,3}\r?\n[ \t]{0,40})"
_SEP = rf"[ \t]{{0,3}}{_BREAK}[:#=-]{{0,2}}[ \t]{{0,3}}{_BREAK}"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf"|\d{{1,2}}[/.-]{_MONTH}[/.-]\d{{2,4}}"
    rf"|{_DAY}{_GAP}{_MONTH},?{_GAP}\d{{4}}|{_MONTH}{_GAP}{_DAY},?{_GAP}\d{{4}})"
)
_NUMBER_WORD = rf"(?:,?{_GAP}(?:number|num|no\.?|nr|id|\#)|[ \t]{{0,3}}\#)?"
_NUMBER_WORD_NEEDED = rf"(?:,?{_GAP}(?:number|num|no\.?|nr|id|\#)|[ \t]{{0,3}}\#)"
# A record number: digits after up to three letters, or in up to three groups of digits
# ("3308 7712"); a group that goes on as a date or a time is not part of it.
_RECORD = r"[a-z]{0,3}\d{2,12}(?:[ ]\d{3,4}(?![-/.:]\d)){0,2}"
# An insurance, encounter or licence number: groups of letters and digits, each with a digit
# ("1EG4-TE5-MK73", "W 123 456 78").
_ALNUM_ID = r"(?:[a-z]{1,4}-)?[a-z]{0,5}\d[a-z0-9]{0,14}(?:[ -][a-z]{0,3}\d[a-z0-9]{0,11}){0,3}"
# "Surname, Forename" (an optional middle initial), as patient lists print them: "Smith, John",
# "JONES, Peter". Case matters here only.
_NAME = r"(?-i:\b[A-Z][A-Za-z'-]{1,30},[ \t]{1,3}[A-Z][a-z][a-z'-]{0,30}(?:[ \t]{1,3}[A-Z]\.?)?)"
# Up to a few lower-case words between a name and its date, either way round: "Jones, Peter
# admitted 2026-03-04", "2026-03-04: seen in clinic Jones, Peter".
_LINK = r"(?:(?-i:[a-z][a-z']{0,15})[ \t]{1,2}){0,4}"
_TITLE = r"(?-i:\b(?:Mr|Mrs|Ms|Miss|Mx|MR|MRS)\b\.?)"
_CAPITAL_WORD = r"(?-i:[A-Z][a-z][A-Za-z'-]{0,30}|[A-Z]'[A-Z][a-z]{1,30}|[A-Z][A-Z'-]{1,30})"
_STREET = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|court|ct|crescent|cres|way|place"
    r"|boulevard|blvd|terrace|grove|gardens|parade|highway|hwy|square|mews|parkway|pkwy"
)
# A house number and a street ("14 Elm Street"), folded: its digits are all '0'.
_STREET_FOLDED = (
    rb"00{0,4}[a-z]? {1,2}(?:[a-z'-]{1,31}\.? {1,2}){1,4}(?:" + _STREET.encode() + rb")\b"
)
# One expression per kind of identifier, each run only on the windows of the triggers of its
# kind (`_TRIGGER_EXPRESSIONS`, `_TRIGGERS`, `_DATE_TRIGGER`). A title and a name ("Mrs
# Okafor") is a name too.
_EXPRESSIONS: dict[str, str] = {
    "mrn": (
        rf"(?P<mrn>\b(?:mrn{_NUMBER_WORD}|m\.[ \t]?r\.[ \t]?n\.?|mr\#"
        rf"|med(?:ical|\.)?{_GAP}rec(?:ord|\.)?{_NUMBER_WORD}"
        rf"|patient{_GAP}(?:id|number|no\.?)|patient[ \t]{{0,3}}\#|unit{_GAP}(?:number|no\.?)"
        rf"|(?:hosp\.?|hospital|chart)(?:{_GAP}(?:number|no\.?)|[ \t]{{0,3}}\#))"
        rf"{_SEP}(?P<mrn_id>{_RECORD})\b)"
    ),
    "dob": (
        rf"(?P<dob>\b(?:dob|d\.[ \t]?o\.[ \t]?b\.?|date{_GAP}of{_GAP}birth|birth\s?date"
        rf"|born(?:{_GAP}on)?)(?:{_GAP}(?:is|was))?{_SEP}(?P<dob_date>{_DATE})"
        rf"|\bb\.[ ]?(?P<dob_b>{_DATE}))"
    ),
    # "Surname, Forename" and a date, either way round.
    "name": (
        rf"(?P<name>(?P<name_who>{_NAME})[ \t,]{{1,3}}\(?{_LINK}(?P<name_date>{_DATE})(?!\d)"
        rf"|(?P<name_first>{_DATE})[ \t,:)-]{{1,3}}{_LINK}(?P<name_whom>{_NAME}))"
    ),
    "titled": (
        rf"(?P<name>(?P<name_titled>{_TITLE}[ \t]{{1,3}}(?-i:[A-Z]\.?[ \t]{{1,3}})?{_CAPITAL_WORD}"
        rf"(?:[ \t]{{1,3}}{_CAPITAL_WORD})?))"
    ),
    "ssn": (
        rf"(?P<ssn>\b(?:ssn|ss\#|social{_GAP}security{_NUMBER_WORD})"
        rf"{_SEP}(?P<ssn_id>\d{{3}}[ -]?\d{{2}}[ -]?\d{{4}})\b"
        r"|(?<![\d-])(?P<ssn_bare>\d{3}-\d{2}-\d{4})(?![\d-])"
        r"|(?<![\d-])(?<!\d )(?P<ssn_spaced>\d{3} \d{2} \d{4})(?![\d-])(?! \d))"
    ),
    "nhs": (rf"(?P<nhs>\bnhs{_NUMBER_WORD}{_SEP}(?P<nhs_id>\d{{3}}[ -]?\d{{3}}[ -]?\d{{4}})\b)"),
    "plan": (
        rf"(?P<plan>\b(?:(?:medicare|medicaid|mbi|hicn)(?:{_GAP}(?:card|member|beneficiary))?"
        rf"{_NUMBER_WORD}|(?:health{_GAP}(?:plan|insurance)|insurance|insurer|member|subscriber"
        rf"|beneficiary|policy{_GAP}holder)(?:{_GAP}(?:card|policy|plan|member))?"
        rf"{_NUMBER_WORD_NEEDED}){_SEP}(?P<plan_id>{_ALNUM_ID})\b)"
    ),
    "account": (
        rf"(?P<account>\b(?:(?:csn|fin|har|encounter)(?:{_NUMBER_WORD})"
        rf"|(?:visit|episode|admission|spell|account|acct|billing{_GAP}account)"
        rf"{_NUMBER_WORD_NEEDED}){_SEP}(?P<account_id>{_ALNUM_ID})\b)"
    ),
    "licence": (
        rf"(?P<licence>\b(?P<drivers>driv(?:er'?s?|ing)[ \t]{{1,3}})?licen[cs]e"
        rf"{_NUMBER_WORD}{_SEP}(?P<licence_id>{_ALNUM_ID})\b)"
    ),
    "email": (
        r"(?P<email>(?<![\w.%+'-])(?P<email_at>[a-z0-9][a-z0-9._%+'-]{0,63}@[a-z0-9-]{1,63}"
        r"(?:\.[a-z0-9-]{1,63}){1,4})(?![\w@-]))"
    ),
    "address": (
        rf"(?P<address>(?<![\w/.,-])(?P<address_at>\d{{1,5}}[a-z]?[ \t]{{1,2}}"
        rf"(?:[NSEW]\.?[ \t]{{1,2}})?(?:{_CAPITAL_WORD}[ \t]{{1,2}}){{1,3}}(?:{_STREET})\b\.?))"
    ),
    # A phone number, or a bare NHS number (ten digits): "000 0000" or the like is in each.
    "phone": (
        r"(?P<phone>(?<![\w+(.,/-])(?P<phone_no>(?:\+\d{1,3}[ .-]{0,2}(?:\(0\)[ .-]{0,2})?)?"
        r"(?:\(\d{2,5}\)|\d{2,5})[ .-]{0,2}\d{3,4}[ .-]?\d{3,4})(?![\w/]|[.,-]?\d))"
    ),
}


# A part of every match of each kind, short enough to compile in a fraction of the time its
# whole expression takes: the start of each alternative (a lookbehind left out), or a run of
# characters every match holds. Compiled with the same flags and searched over the same span
# as the expression, so where it finds nothing the expression cannot either, and the
# expression is neither compiled nor run. Most windows hold a trigger and no more: "ms " in
# "systems ", a range of years.
_HEADS: dict[str, str] = {
    "mrn": (
        rf"\b(?:mrn|m\.[ \t]?r\.|mr\#|med|patient{_GAP}(?:id|number|no)|patient[ \t]{{0,3}}\#"
        rf"|unit{_GAP}(?:number|no)|hosp|chart)"
    ),
    "dob": rf"\b(?:dob|d\.[ \t]?o\.|date{_GAP}of|birth|born|b\.)",
    # "Surname, Forename": the middle of the name that either alternative holds.
    "name": r"(?-i:,[ \t]{1,3}[A-Z][a-z])",
    "titled": rf"{_TITLE}[ \t]{{1,3}}(?-i:[A-Z])",
    "ssn": r"\b(?:ssn|ss\#|social)|\d{3}[ -]\d{2}[ -]\d{4}",
    "nhs": r"\bnhs",
    "plan": (
        rf"\b(?:medicare|medicaid|mbi|hicn|health{_GAP}(?:plan|insurance)|insur|member"
        rf"|subscriber|beneficiary|policy{_GAP}holder)"
    ),
    # A short keyword ("har", "fin" begin "harm", "final") up to its number's first digit.
    "account": (
        rf"\b(?:(?:csn|fin|har|encounter)(?:{_NUMBER_WORD}){_SEP}(?:[a-z]{{1,4}}-)?[a-z]{{0,5}}\d"
        rf"|(?:visit|episode|admission|spell|account|acct"
        rf"|billing{_GAP}account)(?:,?{_GAP}(?:number|num|no|nr|id|\#)|[ \t]{{0,3}}\#))"
    ),
    "licence": r"\b(?:driv|licen)",
    "email": r"@",
    # The house number's last digit, the street's first capital.
    "address": r"\d[a-z]?[ \t]{1,2}(?:[NSEW]\.?[ \t]{1,2})?(?-i:[A-Z])",
    "phone": r"\d{3,4}[ .-]?\d{3,4}",
}


def patterns() -> dict[str, re.Pattern[str]]:
    """Every kind's expression."""
    return {kind: _pattern(kind) for kind in _EXPRESSIONS}


def _pattern(kind: str) -> re.Pattern[str]:
    """A kind's expression, compiled when a window first needs it: most files need few
    kinds, or none, and compiling them all costs more than importing this module."""
    found = _COMPILED.get(kind)
    if found is None:
        found = _COMPILED[kind] = re.compile(_EXPRESSIONS[kind], re.IGNORECASE)
    return found


_COMPILED: dict[str, re.Pattern[str]] = {}  # each kind's expression, once compiled


@functools.cache
def _head(kind: str) -> re.Pattern[str]:
    return re.compile(_HEADS[kind], re.IGNORECASE)


# A longer head of the name expression, looked for too until that expression is compiled:
# it costs more to search than the name's head and much less than compiling the expression,
# which most small trackers then never need. It holds the name and the first character of
# the date after it, or the last digit of the date before it: the expression without its
# dates, which cost most to compile.
_NAME_HEAD = _later(
    rf"(?-i:\b[A-Z][A-Za-z'-]{{1,30}},[ \t]{{1,3}}[A-Z][a-z][a-z'-]{{0,30}}"
    rf"(?:[ \t]{{1,3}}[A-Z]\.?)?)[ \t,]{{1,3}}\(?{_LINK}(?:\d|{_MONTH})"
    rf"|\d[ \t,:)-]{{1,3}}{_LINK}(?-i:\b[A-Z][A-Za-z'-]{{1,30}},[ \t]{{1,3}}[A-Z][a-z])",
    re.IGNORECASE,
)


# "Surname, Forename": a name's part. A window that only dates opened is read when it holds one.
_NAME_PART = re.compile(r",[ \t]{1,3}[A-Z][a-z]")


# The quick first look: ASCII letters folded to lower case and digits to '0', so one substring
# search finds every form of a number. Text with none of these holds no candidate at all.
_FOLD = bytes.maketrans(
    string.ascii_uppercase.encode() + b"123456789", string.ascii_lowercase.encode() + b"0" * 9
)
# Each kind of identifier as a bit. A trigger (a group of an expression below, or a substring)
# is a part of every match of the kinds it names: the lines around it are read with their
# expressions.
_BIT = {kind: 1 << i for i, kind in enumerate(_EXPRESSIONS)}
_KINDS = 1 << len(_BIT)  # a hit is its position times this, plus its kinds
_NUMBERS = sum(_BIT[k] for k in ("mrn", "ssn", "nhs", "plan", "account", "licence", "phone"))
# Expressions that each begin with a plain character, outside any group, so that they are
# searched for as quickly as a substring; their groups are named for the kinds they may start.
_TRIGGER_EXPRESSIONS = (
    # "000-00-0000" an SSN; phone numbers and numbers in groups hold "000 0000" or the like.
    rb"000(?:(?P<ssn>[- ]00[- ]0000)|(?P<numbers>[ .-]0000|0000000|[ .-]000[ .-]000))",
    rb"d(?P<dob>ob|\. ?o)",
    rb"b(?P<dob>irth|orn|\. ?0)",
    rb"m(?:(?P<titled>r|s[ .]|iss |x )|(?P<plan>edicare|bi))",
)
_TRIGGERS: tuple[tuple[bytes, int], ...] = (
    (b"@", _BIT["email"]),
    (b"hicn", _BIT["plan"]),
)
_TRIGGER_BITS = {**_BIT, "numbers": _NUMBERS}
# A full date ("02/03/1954", "2026-03-04", "02-Mar-1954"), the other half of "Surname, Forename
# 02/03/1954": the trigger of a name. A tracker holds thousands, on lines in runs, and almost
# never a name near one, so a line is searched for one only near another kind's trigger or a
# name's part (`_windows_to_read`).
_DATE_TRIGGER = rb"0(?:/0|-00?-00|\.0)|-0000|/0000"
_LONG_NUMBER = b"00000"
_STREET_NEAR = re.compile(_STREET_FOLDED)
# The end of a house number and the word after it: a quicker search than the street's.
_HOUSE = re.compile(rb"0[ a-z] ?[a-z]")
# The keywords before a long number, each in a group named for its kind.
_KEYWORDS = (
    rb"(?P<mrn>mrn|m\.r\.n|m\. r\. n|mr#|rec|patient ?(?:id|n|#)|hosp|chart ?(?:n|#)|unit n)"
    rb"|(?P<ssn>ssn|ss#|security)|(?P<nhs>nhs)"
    rb"|(?P<plan>insur|medica|health|member|subscriber|beneficiar|holder|mbi|hicn)"
    rb"|(?P<account>csn|fin[ #:n]|har[ #:n]|encounter|visit|episode|admission|spell|acc|billing)"
    rb"|(?P<licence>licen)"
)
# The same without groups: quicker to search, and almost every long number has none of them
# (the kinds are read, with `_keywords_near`, only for those that have).
_KEYWORD_ANY = re.compile(re.sub(rb"\(\?P<\w+>", b"(?:", _KEYWORDS))
# A number that starts its line (after its indent and an up-to-three-letter prefix) may be the
# end of a value the line before began.
_STARTS_LINE = re.compile(rb"[ \t]{0,40}[a-z]{0,3}")
# The mark that says a line holds no patient data, read on the lines of a finding.
_ALLOW = _later(r"#\s*diffuse:\s*not-patient-data\b\s*(?:\((?P<reason>[^)]*)\))?")

_WHAT = {
    "mrn": "a medical record number",
    "dob": "a date of birth",
    "ssn": "a US social security number",
    "nhs": "an NHS number",
    "name": "a patient's name",
    "phone": "a patient's phone number",
    "address": "a patient's street address",
    "email": "a patient's e-mail address",
    "plan": "a health plan or Medicare number",
    "account": "an encounter or account number",
    "licence": "a driving licence number",
}
_KEEP = {"mrn": 2, "ssn": 2, "nhs": 2, "phone": 2, "plan": 2, "account": 2, "licence": 2}

# A bare number shaped like an SSN, NHS or phone number but labelled as something else.
_NOT_AN_ID = (
    r"lot|batch|catalog(?:ue)?|cat|ref|reference|serial|part|model|item|order|po|invoice"
    r"|sku|product|kit|device|asset|contract|ticket|policy|claim|version|room"
)
_PHONE_WORDS = r"phone|tel|telephone|fax|call|ext|extension|pager|bleep|mobile|cell"
_LABELLED = r"\.?(?:[ \t]{1,3}(?:no\.?|number|num|nr|\#))?[ \t]{0,3}[:#=]?[ \t]{0,3}$"
_OTHER_NUMBER = _later(rf"\b(?:{_NOT_AN_ID}|{_PHONE_WORDS}){_LABELLED}", re.IGNORECASE)
_NOT_A_PHONE = _later(rf"\b(?:{_NOT_AN_ID}){_LABELLED}", re.IGNORECASE)
# The words before "born" in its sentence say whose birth it is: a patient's, or a practice's
# ("the early-mobility practice was born 2024-01-15"); the nearer of the two kinds of word wins.
# With neither, it counts as a patient's: "born 12/01/2024 at 31 weeks" is a baby's.
_INITIATIVE = (
    r"practices?|programmes?|programs?|initiatives?|guidelines?|pilots?|bundles?|projects?"
    r"|polic(?:y|ies)|protocols?|pathways?|ideas?|schemes?|campaigns?|collaboratives?"
    r"|checklists?|toolkits?|workstreams?|networks?|services?|huddles?|audits?|teams?"
    r"|committees?|groups?"
)
_PERSON = (
    r"patients?|pts?|bab(?:y|ies)|infants?|neonates?|newborns?|mothers?|mums?|twins?"
    r"|child(?:ren)?|boys?|girls?|sons?|daughters?|he|she|man|woman|residents?"
)
_SUBJECT = _later(rf"\b(?:(?P<initiative>{_INITIATIVE})|(?P<person>{_PERSON}))\b", re.I)
# Whose a phone number, address, e-mail or account is: the nearest of these words in its
# sentence says. A patient's or a family's; or a ward's, a desk's, a supplier's, a venue's.
_FAMILY = (
    r"famil(?:y|ies)|relatives?|wife|husband|partner|carers?|caregivers?|nok|next[ \t]of[ \t]kin"
    r"|fathers?|dads?|brothers?|sisters?|niece|nephew|guardians?|his|her|home|lives|living"
    r"|personal|private|discharged|admitted|address|emailed|e-mailed|texted|rang"
)
_SERVICE = (
    r"wards?|units?|desks?|helpline|hotline|switchboard|offices?|departments?|dept|hospitals?"
    r"|sites?|centre|center|clinics?|venue|campus|building|suppliers?|vendors?|company|rep"
    r"|conference|meetings?|training|theatres?|labs?|laborator(?:y|ies)|rooms?|station|hub"
    r"|coordinators?|helpdesk|support|inbox|mailbox|admin|secretar(?:y|iat)|trust|line"
    r"|pharmacy|bleep|pager|ext|extension|reception|manager|lead|nurse|matron|staff"
    rf"|{_INITIATIVE}"
)
_OWNER = _later(rf"\b(?:(?P<service>{_SERVICE})|(?P<person>{_PERSON}|{_FAMILY}))\b", re.I)
# Where a sentence, a list item or a key ends, so context is read only within its own sentence.
_SENTENCE_END = _later(r"[.;!?](?:\s|$)|\n[ \t]{0,40}(?:-[ \t]|[\w-]{1,40}:)")
# Personal mail services: an address there is a person's, whoever the sentence names.
_WEBMAIL = _later(
    r"@(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|aol|icloud|me|mac|proton"
    r"|protonmail|gmx|btinternet|sky|virginmedia|talktalk|comcast|verizon|att)\.",
    re.IGNORECASE,
)
# "Surname, Forename" where either word is a month, a day or a word for a part of a hospital or
# of a project is a list, not a name ("Surgery, Medicine 2026-01-05"); after "by", "lead:" and
# the like it names a member of staff, not a patient.
_NOT_NAME_WORDS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december mon monday tue tues tuesday wed wednesday "
    "thu thur thurs thursday fri friday sat saturday sun sunday today tomorrow yesterday "
    "north south east west central main ward wards unit units site sites bay bed floor level "
    "block wing theatre theatres surgery medicine maternity paediatrics pediatrics neonatal "
    "cardiology oncology radiology pharmacy outpatients emergency critical care acute general "
    "community phase wave cohort pilot audit review team trust board committee group version "
    "draft final update launch baseline target total mean median week month quarter year "
    "start end morning evening night day the and staffing staff equipment training funding "
    "budget capacity education supplies space time leadership culture communication risks "
    "metrics actions barriers notes"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# A capitalised word just before "Surname," makes it the end of a longer proper name, an event's,
# a body's or a place's ("the Patient Safety Congress, Manchester 14/05/2025"), unless the word
# says whose name follows ("Patient Smith, John") or leads into it ("Re Smith, John").
_LEAD_IN = r"the|a|an|re|see|for|with|and|mr|mrs|ms|miss|dr|on|at|in"
_PROPER_NAME = _later(
    rf"\b(?!(?:{_PERSON}|{_LEAD_IN})\b)(?-i:[A-Z])[A-Za-z'-]{{0,30}}[ \t]{{1,3}}$", re.IGNORECASE
)
_STAFF = _later(
    r"\b(?:by|signed(?:[ \t]off)?|approved|reviewed|checked|author|authors|lead|leads|owner"
    r"|contact|chair|sponsor|champion|from|to|cc|thanks|thank[ \t]you)\b[ \t]{0,3}:?[ \t]{0,3}$",
    re.IGNORECASE,
)
# Words just after a name that make it a member of staff's: "Mr Patel, consultant surgeon",
# "Jones, Ada (matron) signed off 2026-03-02".
_STAFF_AFTER = _later(
    r"[ \t,(]{0,3}(?:signed|approved|presented|chaired|agreed|confirmed|trained|taught|led"
    r"|consultant|surgeon|registrar|matron|nurse|sister|charge|lead|manager|director|chair"
    r"|champion|sponsor|owner|rn|md|phd|frcs|mrcp)\b",
    re.IGNORECASE,
)
_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sr", "sister"})


class Staff(NamedTuple):
    """The people of the organisation file: their names and e-mail addresses (and any
    address at their mail domains) are staff's, not patients'. A patient who shares a
    member of staff's full name, or a titled patient their surname, is let through."""

    names: frozenset[tuple[str, str]] = frozenset()  # (forename, surname), lower case
    surnames: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    # Says which staff a scan was made with: part of the key of a file's cached problems.
    digest: str = ""

    @classmethod
    def of(cls, organisation: Any) -> Staff:
        """The staff of the organisation file's data (as parsed; any shape)."""
        people = organisation.get("people") if isinstance(organisation, dict) else None
        names: set[tuple[str, str]] = set()
        emails: set[str] = set()
        for person in people if isinstance(people, list) else []:
            if not isinstance(person, dict):
                continue
            name = str(person.get("name") or "").split(",")[0]
            words = [w for w in name.lower().split() if w.rstrip(".") not in _TITLES]
            if len(words) >= 2:
                names.add((words[0], words[-1]))
            email = str(person.get("email") or "").strip().lower()
            if "@" in email:
                emails.add(email)
        if not names and not emails:
            return NO_STAFF
        seen = repr((sorted(names), sorted(emails))).encode()
        return cls(
            frozenset(names),
            frozenset(surname for _, surname in names),
            frozenset(emails),
            # A personal mail service is not the organisation's domain, whoever on staff uses it.
            frozenset(e.rsplit("@", 1)[1] for e in emails if not _WEBMAIL().search(e)),
            hashlib.sha256(seen).hexdigest()[:16],
        )

    def has_name(self, forename: str, surname: str) -> bool:
        return (forename.lower(), surname.lower()) in self.names

    def has_email(self, address: str) -> bool:
        address = address.lower()
        return address in self.emails or address.rsplit("@", 1)[1] in self.domains


NO_STAFF = Staff()


def staff_for(doc: Document) -> Staff:
    """The staff the document is scanned with: of its own data when it is the organisation
    file, else of the organisation file of its tracker (the folder above its own), if any."""
    if doc.path.name == ORGANISATION_FILE:
        return organisation_staff(doc.text, doc.data)
    for folder in (doc.path.parent.parent, doc.path.parent):
        try:
            text = (folder / ORGANISATION_FILE).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        return organisation_staff(text)
    return NO_STAFF


# The text of the organisation file last asked about, and its staff: a command that reads
# the tracker and then edits a file parses the organisation file once.
_LAST: dict[str, Staff] = {}


def organisation_staff(text: str, data: Any = None) -> Staff:
    """The staff of the organisation file holding `text` (its parsed `data`, when at hand)."""
    staff = _LAST.get(text)
    if staff is None:
        if data is None:
            data = document_from_text(Path(ORGANISATION_FILE), text, CEILINGS).data
        staff = Staff.of(data)
        _LAST.clear()
        _LAST[text] = staff
    return staff


class Finding(NamedTuple):
    kind: str
    start: int
    end: int
    masked: str


def patient_data(doc: Document, staff: Staff = NO_STAFF) -> list[Problem]:
    """A problem for each unmarked patient identifier in the document's text."""
    problems: list[Problem] = []
    for finding in findings(doc.text, staff):
        if len(problems) == MAX_REPORTED:
            # Placing each one walks the file; a file full of them needs no more proof.
            message = f"more than {MAX_REPORTED} patient identifiers; only the first are listed"
            return [*problems, Problem(Location(doc.path), CODE, message)]
        problem = _problem(doc, finding)
        if problem is not None:
            problems.append(problem)
    return problems


def findings(text: str, staff: Staff = NO_STAFF) -> Iterator[Finding]:
    folded = _folded(text)
    for start, end, kinds in _windows_to_read(text, folded):
        yield from _scan(text, start, end, _expressions(kinds, text, folded, start, end), staff)


def _expressions(
    kinds: int, text: str, folded: bytes, start: int, end: int
) -> list[re.Pattern[str]]:
    """The expressions of `kinds` whose head is in the window; of every kind when the
    window holds a character outside ASCII (folded to '?'), which may match a letter of
    another kind's keyword."""
    every = folded.find(b"?", start, end) >= 0
    return [
        _pattern(kind)
        for kind in _EXPRESSIONS
        if (every or kinds & _BIT[kind])
        and _head(kind).search(text, start, end)
        and (kind != "name" or kind in _COMPILED or _NAME_HEAD().search(text, start, end))
    ]


def _scan(
    text: str, start: int, end: int, kinds: list[re.Pattern[str]], staff: Staff
) -> Iterator[Finding]:
    """The findings of `kinds` in the window, in order; of two that overlap, the first
    (the longer when both start at one place) is kept: "NHS 943 476 5919" is one finding."""
    found = [f for p in kinds for m in p.finditer(text, start, end) if (f := _finding(m, staff))]
    found.sort(key=lambda f: (f.start, -f.end))
    last = -1
    for finding in found:
        if finding.start >= last:
            last = finding.end
            yield finding


def _windows(text: str, folded: bytes | None = None) -> list[tuple[int, int, int]]:
    """The lines (with the line before and the line after) that may hold a candidate, merged,
    in order, each with the kinds its hits may start (as bits). The lines either side hold a
    value a folded block wrapped across lines. `findings` reads only some of them, found
    without making the rest (`_windows_to_read`)."""
    if folded is None:
        folded = _folded(text)
    dates = [m.start() * _KINDS + _BIT["name"] for m in _date_trigger().finditer(folded)]
    windows: list[tuple[int, int, int]] = []
    line_end = -1
    for packed in sorted(_hits(folded) + dates):
        hit, bits = divmod(packed, _KINDS)
        if hit < line_end:
            # On the line of the hit before, so in its window: looking for the line's ends
            # again would read a long line once per hit.
            last = windows[-1]
            windows[-1] = (last[0], last[1], last[2] | bits)
            continue
        start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, hit))) + 1
        line_end = text.find("\n", hit)
        line_end = len(text) if line_end < 0 else line_end
        end = text.find("\n", line_end + 1)
        end = len(text) if end < 0 else end
        if windows and start <= windows[-1][1]:
            last = windows[-1]
            windows[-1] = (last[0], max(end, last[1]), last[2] | bits)
        else:
            windows.append((start, end, bits))
    return windows


def _windows_to_read(text: str, folded: bytes) -> list[tuple[int, int, int]]:
    """The windows of `_windows`, in order and with the same bounds and kinds, that hold a
    name's part or a hit of another kind than a name's: a window whose only hits are dates
    and that holds no name's part holds no candidate.

    A window is a chain of lines with hits, each at most two lines after the one before
    (their windows meet), with the line before the first and the line after the last. So
    each one that holds a hit of another kind, or a name's part (the seeds), is found by
    walking out from its seed line by line, and the dated lines far from every seed, most of
    a tracker's, are never looked at."""
    lines = _Lines(folded)
    seeds = sorted([*lines.hits, *(m.start() for m in _NAME_PART.finditer(text))])
    windows: list[tuple[int, int, int]] = []
    done = 0  # the seeds before this offset are in a window already found, or in none
    for seed in seeds:
        if seed < done:
            continue
        line = lines.at(seed)
        done = line[1]
        found = lines.hit_near(line)
        if found is None:
            continue
        near, kinds = found
        first, kinds = lines.chain(near, kinds, lines.before)
        last, kinds = lines.chain(near, kinds, lines.after)
        start = (lines.before(first) or first)[0]
        done = (lines.after(last) or last)[1]
        windows.append((start, done, kinds))
    return windows


_Line = tuple[int, int]  # where a line starts, and where it ends (its line break, or the end)


class _Lines:
    """The lines of a folded text, each found when asked for, and the kinds of the hits on
    each: those of `_hits`, found first, and a date, looked for on the lines asked about."""

    def __init__(self, folded: bytes) -> None:
        self.folded = folded
        self.size = len(folded)
        self.hits: dict[int, int] = {}  # where each line with a hit of `_hits` starts: its kinds
        line_end = -1
        for packed in sorted(_hits(folded)):
            hit, bits = divmod(packed, _KINDS)
            if hit > line_end:  # else on the line of the hit before
                start = folded.rfind(b"\n", 0, hit) + 1
                line_end = folded.find(b"\n", hit)
                line_end = self.size if line_end < 0 else line_end
            self.hits[start] = self.hits.get(start, 0) | bits

    def at(self, offset: int) -> _Line:
        """The line holding the offset."""
        end = self.folded.find(b"\n", offset)
        return self.folded.rfind(b"\n", 0, offset) + 1, self.size if end < 0 else end

    def before(self, line: _Line | None) -> _Line | None:
        """The line before, if any."""
        if line is None or line[0] == 0:
            return None
        return self.folded.rfind(b"\n", 0, line[0] - 1) + 1, line[0] - 1

    def after(self, line: _Line | None) -> _Line | None:
        """The line after, if any: a text that ends with a line break ends with an empty
        line, as in `_windows`."""
        if line is None or line[1] == self.size:
            return None
        end = self.folded.find(b"\n", line[1] + 1)
        return line[1] + 1, self.size if end < 0 else end

    def hit_near(self, line: _Line) -> tuple[_Line, int] | None:
        """A line with a hit among the line and the lines either side, and its kinds: a
        window holds the line only when one of them has a hit."""
        for near in (line, self.before(line), self.after(line)):
            kinds = self.kinds(near)
            if near is not None and kinds:
                return near, kinds
        return None

    def kinds(self, line: _Line | None) -> int:
        """The kinds of the hits on the line (as bits)."""
        if line is None:
            return 0
        kinds = self.hits.get(line[0], 0)
        if _date_trigger().search(self.folded, line[0], line[1]):
            kinds |= _BIT["name"]
        return kinds

    def chain(
        self, line: _Line, kinds: int, step: Callable[[_Line | None], _Line | None]
    ) -> tuple[_Line, int]:
        """The last line with a hit reached from `line` (which has one) by steps of one or
        two lines, and the kinds of the hits on the way added to `kinds`."""
        while True:
            one = step(line)
            found = self.kinds(one)
            if not found:
                one = step(one)
                found = self.kinds(one)
            if not found or one is None:
                return line, kinds
            line, kinds = one, kinds | found


def _hits(folded: bytes) -> list[int]:
    """Where the triggers of every kind but a name's (a date) are, each as its position
    times `_KINDS` plus the kinds it may start."""
    hits = [i * _KINDS + bits for token, bits in _TRIGGERS for i in _positions(folded, token)]
    for expression in _triggers():
        hits += [
            m.start() * _KINDS + _TRIGGER_BITS[m.lastgroup or ""]
            for m in expression.finditer(folded)
        ]
    for i in _positions(folded, _LONG_NUMBER):
        bits = _keywords_before(folded, i)
        if bits:
            hits.append(i * _KINDS + bits)
    for house in _HOUSE.finditer(folded):
        first = house.start()
        while first > 0 and folded[first - 1] == 48 and house.start() - first < 4:  # '0'
            first -= 1
        if _STREET_NEAR.match(folded, first):
            hits.append(first * _KINDS + _BIT["address"])
    return hits


@functools.cache
def _triggers() -> tuple[re.Pattern[bytes], ...]:
    return tuple(re.compile(expression) for expression in _TRIGGER_EXPRESSIONS)


@functools.cache
def _date_trigger() -> re.Pattern[bytes]:
    return re.compile(_DATE_TRIGGER)


def _folded(text: str) -> bytes:
    return text.encode("ascii", "replace").translate(_FOLD)


def _keywords_before(folded: bytes, at: int) -> int:
    """The kinds (as bits) of the identifiers' keywords in the 30 characters before the
    number at `at`, on its line, or at the end of the line before when the number starts
    its line."""
    # Every look is bounded: a long line of digits has a hit every five characters.
    line = folded.rfind(b"\n", max(0, at - 45), at)
    low = max(0, at - 30, line)
    if line >= 0 and _STARTS_LINE.fullmatch(folded, line + 1, at):
        low = max(0, line - 30)
    if _KEYWORD_ANY.search(folded, low, at) is None:
        return 0  # almost every long number: a metric's value, a count
    return sum({_BIT[m.lastgroup or ""] for m in _keywords_near().finditer(folded, low, at)})


@functools.cache
def _keywords_near() -> re.Pattern[bytes]:
    return re.compile(_KEYWORDS)


def _positions(folded: bytes, token: bytes) -> Iterator[int]:
    at = folded.find(token)
    while at >= 0:
        yield at
        at = folded.find(token, at + len(token))


def _finding(match: re.Match[str], staff: Staff = NO_STAFF) -> Finding | None:
    kind = match.lastgroup or ""
    group = next(g for g, v in match.groupdict().items() if v and g.startswith(f"{kind}_"))
    kind = _kind(kind, match, group, staff) or ""
    if not kind:
        return None
    # A name is part of the identifier: all of it is masked.
    start = match.start() if kind == "name" else match.start(group)
    end = match.end() if kind == "name" else match.end(group)
    label = match.string[match.start() : start]
    value = match.string[start:end]
    masked = label + _mask(value, keep=_KEEP.get(kind, 0))
    return Finding(kind, match.start(), end, " ".join(masked.split()))


def _kind(kind: str, match: re.Match[str], group: str, staff: Staff) -> str | None:
    """What the match is, once the words around it are read; None when it is nothing."""
    text, value = match.string, match.group(group)
    digits = re.sub(r"\D", "", value)
    if group in ("ssn_bare", "ssn_spaced") and _OTHER_NUMBER().search(
        _before(text, match.start(), 40)
    ):
        return None
    if kind == "nhs":
        return kind if _nhs_checksum(digits) else None
    if kind == "ssn":
        area, group_no, serial = digits[:3], digits[3:5], digits[5:]
        valid = area not in ("000", "666") and area[0] != "9" and group_no != "00"
        return kind if valid and serial != "0000" else None
    if kind == "mrn":
        return kind if 5 <= len(digits) <= 12 else None
    if kind == "dob" and match.group(0)[:4].lower() == "born":
        return None if _born_of_an_initiative(match) else kind
    if kind == "name":
        return kind if _a_patients_name(match, staff) else None
    if kind == "phone":
        return _phone(match, value, digits)
    if kind == "email":
        if staff.has_email(value):
            return None  # a member of staff's
        local = re.sub(r"[._%+'-]", " ", value.split("@")[0])
        role = _OWNER().search(local)
        if role is not None and role.group("service"):
            return None  # a team's, a ward's, an office's
        return kind if _WEBMAIL().search(value) or _whose(match) == "person" else None
    if kind == "address":
        return kind if _whose(match) == "person" else None
    if kind in ("plan", "account", "licence"):
        if not 5 <= len(digits) <= 20 or re.fullmatch(_DATE, value, re.IGNORECASE):
            return None
        if kind == "plan":
            return kind
        owner = _whose(match)
        if kind == "account":
            return None if owner == "service" else kind
        return kind if match.group("drivers") or owner == "person" else None
    return kind


def _phone(match: re.Match[str], value: str, digits: str) -> str | None:
    """A bare ten-digit number with a valid NHS check digit is an NHS number, unless labelled
    as another kind of number; any other number of a phone number's length is a patient's
    phone number when the words of its sentence say so."""
    before = _before(match.string, match.start(), 40)
    if _NOT_A_PHONE().search(before) or not 10 <= len(digits) <= 13:
        return None
    nhs_shaped = re.fullmatch(r"\d{3} \d{3} \d{4}|\d{10}", value)
    if nhs_shaped and _nhs_checksum(digits) and not _OTHER_NUMBER().search(before):
        return "nhs"
    if value.startswith("+") or value[0] in "0(" or len(digits) == 10:
        return "phone" if _whose(match) == "person" else None
    return None


def _a_patients_name(match: re.Match[str], staff: Staff) -> bool:
    groups = match.groupdict()
    group = next(g for g in ("name_titled", "name_whom", "name_who") if groups.get(g))
    who = match.group(group)
    words = re.findall(r"[A-Za-z'-]+", who)
    if group == "name_titled":
        names = words[1:]
        if staff.surnames.intersection(n.lower() for n in names[-1:]):
            return False
    else:
        names = words[:2]
        if staff.has_name(names[1], names[0]):
            return False
    before = _before(match.string, match.start(group), 40)
    after = match.string[match.end(group) : match.end(group) + 30]
    return not (
        _STAFF().search(before)
        or _STAFF_AFTER().match(after)
        or _NOT_NAMES.intersection(n.lower() for n in names)
        or (group != "name_titled" and _PROPER_NAME().search(before))
    )


def _whose(match: re.Match[str]) -> str | None:
    """'person' or 'service': the nearest word saying whose the match is, before it in its
    sentence (within 80 characters) or, failing that, after it (within 60)."""
    text = match.string
    before = text[max(0, match.start() - 80) : match.start()]
    ends = list(_SENTENCE_END().finditer(before))
    before = before[ends[-1].end() :] if ends else before
    words = list(_OWNER().finditer(before))
    if not words:
        after = text[match.end() : match.end() + 60]
        stop = _SENTENCE_END().search(after)
        words = list(_OWNER().finditer(after[: stop.start()] if stop else after))[:1]
    if not words:
        return None
    return "service" if words[-1].group("service") else "person"


def _before(text: str, at: int, most: int) -> str:
    """Up to `most` characters before `at` on its line."""
    low = max(0, at - most)
    return text[max(low, text.rfind("\n", low, at) + 1) : at]


def _born_of_an_initiative(match: re.Match[str]) -> bool:
    """Whether the nearest subject before "born", within 80 characters and its own sentence,
    is a practice, programme or the like rather than a person."""
    before = match.string[max(0, match.start() - 80) : match.start()]
    ends = list(_SENTENCE_END().finditer(before))
    before = before[ends[-1].end() :] if ends else before
    subjects = list(_SUBJECT().finditer(before))
    return bool(subjects) and subjects[-1].group("initiative") is not None


def _nhs_checksum(digits: str) -> bool:
    if len(digits) != 10:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _mask(value: str, keep: int) -> str:
    # Every letter and digit counts, in any script: a number written in Arabic-Indic or
    # full-width digits is masked as one in ASCII digits is.
    shown = sum(char.isalnum() for char in value) - keep
    out = []
    for char in value:
        if char.isalnum() and shown > 0:
            out.append("*")
            shown -= 1
        else:
            out.append(char)
    return "".join(out)


def _problem(doc: Document, finding: Finding) -> Problem | None:
    spot = _spot(doc, finding.start)
    lines = {_line_of(doc.text, finding.start), spot.first_line}
    marks = [m for line in lines for m in _ALLOW().finditer(_line_text(doc.text, line))]
    if any(_explained(m) for m in marks):
        return None
    what = f"looks like {_WHAT[finding.kind]} ({finding.masked})"
    if marks:
        advice = "the not-patient-data mark on this line needs a reason in parentheses"
    else:
        advice = f"remove it, or if it is not patient data end the line with '{MARK}'"
    line = _line_of(doc.text, finding.start)
    col = finding.start - (doc.text.rfind("\n", 0, finding.start) + 1) + 1
    return Problem(Location(doc.path, line, col), CODE, f"{spot.label}: {what}; {advice}")


def _explained(mark: re.Match[str]) -> bool:
    # The mark copied from the message as it stands, "(reason)", explains nothing.
    reason = (mark.group("reason") or "").strip()
    return bool(reason) and reason.lower() != "reason"


class _Spot(NamedTuple):
    label: str
    first_line: int


def _spot(doc: Document, offset: int) -> _Spot:
    """The field holding `offset` (its dotted path), or a comment."""
    tree = doc.tree()
    if tree is None:
        return _Spot("text", _line_of(doc.text, offset))
    found = _find(tree, offset, ())
    if found is None:
        return _Spot("comment", _line_of(doc.text, offset))
    node, loc = found
    path = ".".join(shown(str(step), 40)[1:-1] for step in loc) or "(top level)"
    return _Spot(path, node.start_mark.line + 1)


def _find(
    node: yaml.Node, offset: int, loc: tuple[Any, ...]
) -> tuple[yaml.Node, tuple[Any, ...]] | None:
    # Iterative, and only along the one branch whose span holds the offset.
    while True:
        if isinstance(node, yaml.ScalarNode):
            return (node, loc) if node.start_mark.index <= offset < node.end_mark.index else None
        if isinstance(node, yaml.SequenceNode):
            items = list(enumerate(node.value))
            step = next(((i, n) for i, n in items if _holds(n, offset)), None)
            if step is None:
                return None
            loc, node = (*loc, step[0]), step[1]
            continue
        for key, value in node.value:
            if _holds(key, offset):
                return (key, (*loc, key.value)) if isinstance(key, yaml.ScalarNode) else None
            if _holds(value, offset):
                loc, node = (*loc, key.value if isinstance(key, yaml.ScalarNode) else "?"), value
                break
        else:
            return None


def _holds(node: yaml.Node, offset: int) -> bool:
    return bool(node.start_mark.index <= offset < node.end_mark.index)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_text(text: str, line: int) -> str:
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)]
