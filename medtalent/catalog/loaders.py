def load_programmes(report):
    """Placeholder: replaced by the programme loader."""
