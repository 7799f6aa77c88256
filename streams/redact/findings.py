"""Public result types of the redactor: finding type names, placeholders, findings, detections."""

from __future__ import annotations

from dataclasses import dataclass

# IMPORTS

CARD_NUMBER = "card_number"
CARD_CVV = "card_cvv"
CARD_EXPIRY = "card_expiry"
PIN = "pin"
IBAN = "iban"
BIC = "bic"
US_ROUTING_NUMBER = "us_routing_number"
US_BANK_ACCOUNT = "us_bank_account"
UK_SORT_CODE = "uk_sort_code"
UK_BANK_ACCOUNT = "uk_bank_account"
US_SSN = "us_ssn"
US_ITIN = "us_itin"
US_EIN = "us_ein"
UK_NINO = "uk_nino"
UK_UTR = "uk_utr"
VAT_NUMBER = "vat_number"
SECRET_API_KEY = "secret_api_key"

FINDING_TYPES: tuple[str, ...] = (
    CARD_NUMBER,
    CARD_CVV,
    CARD_EXPIRY,
    PIN,
    IBAN,
    BIC,
    US_ROUTING_NUMBER,
    US_BANK_ACCOUNT,
    UK_SORT_CODE,
    UK_BANK_ACCOUNT,
    US_SSN,
    US_ITIN,
    US_EIN,
    UK_NINO,
    UK_UTR,
    VAT_NUMBER,
    SECRET_API_KEY,
)

# Types whose presence means payment details were read out on the call (policy: such calls go to
# review, DialNexa should not collect them at all).
PAYMENT_DETAIL_TYPES: frozenset[str] = frozenset(
    {
        CARD_NUMBER,
        CARD_CVV,
        CARD_EXPIRY,
        PIN,
        IBAN,
        BIC,
        US_ROUTING_NUMBER,
        US_BANK_ACCOUNT,
        UK_SORT_CODE,
        UK_BANK_ACCOUNT,
    }
)

PLACEHOLDERS: dict[str, str] = {
    CARD_NUMBER: "[CARD]",
    CARD_CVV: "[CVV]",
    CARD_EXPIRY: "[EXPIRY]",
    PIN: "[PIN]",
    IBAN: "[IBAN]",
    BIC: "[BIC]",
    US_ROUTING_NUMBER: "[ROUTING NUMBER]",
    US_BANK_ACCOUNT: "[BANK ACCOUNT]",
    UK_SORT_CODE: "[SORT CODE]",
    UK_BANK_ACCOUNT: "[BANK ACCOUNT]",
    US_SSN: "[SSN]",
    US_ITIN: "[ITIN]",
    US_EIN: "[EIN]",
    UK_NINO: "[NINO]",
    UK_UTR: "[UTR]",
    VAT_NUMBER: "[VAT NUMBER]",
    SECRET_API_KEY: "[SECRET KEY]",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One redacted span: `type` is one of FINDING_TYPES, offsets index the input text."""

    type: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RedactedText:
    text: str
    findings: list[Finding]
    counts: dict[str, int]  # secrets found per type (a card split over turns counts once)
    payment_details_read_out: bool


@dataclass(slots=True)
class Detection:
    type: str
    spans: list[tuple[int, int]]
    card_digits: str = ""
