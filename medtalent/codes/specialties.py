def load_specialties(report):
    """Placeholder: replaced by the specialty loader."""
