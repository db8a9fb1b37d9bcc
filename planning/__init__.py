"""The elderly-care planning domain: the study, standards with citations, coverage, siting, reports, CLI."""
