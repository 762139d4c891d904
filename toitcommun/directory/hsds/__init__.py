"""The directory as Open Referral HSDS 3.0 documents: validation, export and import.

One HSDS ``service`` document per service, with its organization, places,
phones, opening hours, service areas, languages, contacts and taxonomy
attributes nested in it. Every record keeps its HSDS id, so an export imported
elsewhere (or back here) is matched record by record, and importing an export
into an empty directory then exporting again gives the same bytes.

- ``schema``: the specification's JSON Schemas (data/hsds/, HSDS 3.0.0, CC BY-SA 4.0,
  validation works offline), reading a file, the errors;
- ``export``: the documents out;
- ``plan``: an import's reading of the documents into our records, every error found first;
- ``write``: an import's writing, in one transaction, audited.

The reads (services ready to document) are in the directory's selectors.py, the rule
of who may import in its rules.py. docs/hsds.md has the field mapping and what an
import drops.
"""

from .export import (
    accessibility_id,
    attribute_id,
    document_text,
    export_directory,
    service_document,
)
from .plan import ImportReport
from .schema import (
    HSDS_DIR,
    HSDS_VERSION,
    TERRITORY_URN,
    HsdsError,
    HsdsRejected,
    schema_errors,
    validator,
)
from .write import import_documents

__all__ = [
    "HSDS_DIR", "HSDS_VERSION", "TERRITORY_URN", "HsdsError", "HsdsRejected", "ImportReport", "accessibility_id",
    "attribute_id", "document_text", "export_directory", "import_documents", "schema_errors", "service_document",
    "validator",
]
