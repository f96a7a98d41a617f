def load_code_tables(report):
    """Placeholder: replaced by the code-table loader."""
