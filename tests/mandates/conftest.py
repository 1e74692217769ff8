"""The register stand-in and the agreement fixtures the signature test walks with."""

from tests.agreements.conftest import (  # noqa: F401
    advance,
    agreement_chain,
    draft,
    signatories,
)
from tests.registers.conftest import standin, standin_process  # noqa: F401
