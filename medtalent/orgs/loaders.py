def load_organisations(report):
    """Placeholder: replaced by the organisation loader."""
